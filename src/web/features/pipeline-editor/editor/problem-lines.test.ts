import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { lineOfPath, pathSegments } from './problem-lines';

const draft = {
  name: 'p',
  stages: [
    { refId: '1', type: 'wait', name: 'A', config: { seconds: 1 } },
    { refId: '2', type: 'wait', name: 'B', config: { seconds: -1, skippable: true } },
  ],
};
const lineWith = (text: string, needle: string, from = 0) => text.split('\n').findIndex((l, i) => i >= from && l.includes(needle)) + 1;

describe('the line a problem is on', () => {
  it('reads a zod path', () => {
    expect(pathSegments('stages[6].config.seconds')).toEqual(['stages', 6, 'config', 'seconds']);
  });

  it('finds the field in JSON: the second stage’s seconds, not the first’s', () => {
    const json = JSON.stringify(draft, null, 2);
    const line = lineOfPath(json, 'stages[1].config.seconds');
    expect(line).toBe(lineWith(json, '"seconds": -1'));
  });

  it('finds the field in YAML', () => {
    const yaml = stringify(draft);
    expect(lineOfPath(yaml, 'stages[1].config.seconds')).toBe(lineWith(yaml, 'seconds: -1'));
  });

  it('a missing field points at the deepest part that is there', () => {
    const json = JSON.stringify(draft, null, 2);
    expect(lineOfPath(json, 'stages[1].config.command')).toBe(lineWith(json, '"config"', lineWith(json, '"refId": "2"')));
  });

  it('text that does not parse has no lines to point at', () => {
    expect(lineOfPath('{ "stages": [', 'stages[0]')).toBeUndefined();
  });
});
