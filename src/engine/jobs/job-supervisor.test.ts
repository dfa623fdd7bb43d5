import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOutputTail } from './job-supervisor';

describe('a job output tail', () => {
  it('hands every line over once and in order, even when the line handler reads again (a flush every 500 lines)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kiln-tail-')), 'output');
    writeFileSync(file, Array.from({ length: 20_000 }, (_, i) => `row ${i + 1}`).join('\n') + '\n');
    const lines: string[] = [];
    const tail = createOutputTail(file, 0, (line) => {
      lines.push(line);
      if (lines.length % 500 === 0) tail.read(); // what the job runner's flush does
    });
    tail.read();
    appendFileSync(file, 'row 20001\nrow 200'); // a line still being written…
    tail.read();
    appendFileSync(file, '02');
    tail.end(); // …and ended without a newline
    expect(lines).toHaveLength(20_002);
    expect(lines.every((line, i) => line === `row ${i + 1}`)).toBe(true);
    expect(tail.offset).toBe(Buffer.byteLength(lines.join('\n')));
  });

  it('keeps each line and the offset where it ends exact with multi-byte characters, stray bytes and CRLF endings', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kiln-tail-')), 'output');
    const bytes = Buffer.concat([Buffer.from('héllo wörld\r\nplain\n\r\n'), Buffer.from([0xff, 0x41, 0x0a]), Buffer.from('ascii\r\nemoji 🚀\nlast')]);
    writeFileSync(file, bytes);
    const seen: Array<[string, number]> = [];
    const tail = createOutputTail(file, 0, (line) => seen.push([line, tail.offset]));
    tail.end();
    // Each offset is where that line's newline ends in the file: an adopter resumes there.
    const ends = [...bytes.entries()].filter(([, b]) => b === 0x0a).map(([i]) => i + 1);
    expect(seen).toEqual([
      ['héllo wörld', ends[0]],
      ['plain', ends[1]],
      ['', ends[2]],
      ['\ufffdA', ends[3]],
      ['ascii', ends[4]],
      ['emoji 🚀', ends[5]],
      ['last', bytes.length],
    ]);
    // The same endings in plain ASCII (read as one block, not line by line).
    const ascii = join(mkdtempSync(join(tmpdir(), 'kiln-tail-')), 'output');
    writeFileSync(ascii, 'a\r\nb\n\r\nc\rd\n');
    const plain: Array<[string, number]> = [];
    const asciiTail = createOutputTail(ascii, 0, (line) => plain.push([line, asciiTail.offset]));
    asciiTail.end();
    expect(plain).toEqual([
      ['a', 3],
      ['b', 5],
      ['', 7],
      ['c\rd', 11],
    ]);
  });
});
