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
});
