import { describe, expect, it } from 'vitest';
import { demuxLogs } from './docker-engine';

const frame = (stream: number, text: string) => {
  const body = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
};

describe('instance logs from the engine', () => {
  it('joins stdout and stderr frames into plain text, in order', () => {
    expect(demuxLogs(Buffer.concat([frame(1, 'listening\n'), frame(2, 'warning: slow\n'), frame(1, 'ready\n')]))).toBe('listening\nwarning: slow\nready\n');
  });

  it('keeps the text of a container with a terminal (no frames) as it is', () => {
    expect(demuxLogs(Buffer.from('plain output\nsecond line\n'))).toBe('plain output\nsecond line\n');
  });
});
