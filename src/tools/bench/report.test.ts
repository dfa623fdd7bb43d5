import { describe, expect, it } from 'vitest';
import { combineRuns, goalText, parseFigures, table, verdict } from './report';

describe('bench report', () => {
  it('reads the figures a bench printed among its other output, and names a malformed line', () => {
    const out = [
      'engine: 483 transitions/s',
      'BENCH-JSON {"id":"engine.tps","label":"Engine transitions/s","value":483,"unit":"/s","better":"higher","goal":{"min":1000}}',
      '[bench] BENCH-JSON {"id":"x","value":"fast"}',
      'BENCH-JSON {not json',
    ].join('\n');
    const { figures, bad } = parseFigures(out);
    expect(figures).toEqual([{ id: 'engine.tps', label: 'Engine transitions/s', value: 483, unit: '/s', better: 'higher', goal: { min: 1000 } }]);
    expect(bad).toEqual(['BENCH-JSON {"id":"x","value":"fast"}', 'BENCH-JSON {not json']);
  });

  it('reports the median of several runs per figure', () => {
    const f = (value: number) => ({ id: 'a', label: 'A', value, unit: 'ms' });
    expect(combineRuns([[f(30)], [f(10)], [f(20)]])).toEqual([f(20)]);
    expect(combineRuns([[f(10)], [f(20)]])[0]!.value).toBe(15);
  });

  it('says ok or short against a floor or a ceiling, and — without a goal', () => {
    expect(verdict(15_000, { min: 15_000 })).toBe('ok');
    expect(verdict(14_999, { min: 15_000 })).toBe('short');
    expect(verdict(31, { max: 30 })).toBe('short');
    expect(verdict(1, undefined)).toBe('—');
    expect(goalText({ min: 15_000 }, 'req/s')).toBe('≥ 15,000 req/s');
    expect(goalText({ max: 30 }, 'ms')).toBe('≤ 30 ms');
  });

  it('prints one aligned table with the five columns', () => {
    const out = table([{ figure: 'health req/s', goal: '≥ 30,000 req/s', measured: '2,663 req/s', anchor: 'Fastify 52,772 req/s', verdict: 'short' }]);
    expect(out.split('\n')[0]).toMatch(/^\| figure +\| goal +\| measured +\| anchor +\| ok\/short \|$/);
    expect(out.split('\n')).toHaveLength(3);
  });
});
