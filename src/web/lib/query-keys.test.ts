import { describe, expect, it } from 'vitest';

// A key typed out by hand drifts from the factory's (and a mutation then invalidates the wrong one).
const sources = import.meta.glob<string>(['../**/*.ts', '../**/*.tsx', '!../**/*.test.ts', '!../**/*.test.tsx'], {
  query: '?raw',
  import: 'default',
  eager: true,
});
const LITERAL_KEY = /(?:queryKey:\s*|QueryData\(\s*|QueryState\(\s*)\[/g;

describe('query keys', () => {
  it('every query key in the dashboard comes from the key factory', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(100);
    const literal = Object.entries(sources).flatMap(([file, text]) => (text.match(LITERAL_KEY) ? [file] : []));
    expect(literal).toEqual([]);
  });
});
