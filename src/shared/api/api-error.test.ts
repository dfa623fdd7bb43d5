import { describe, expect, it } from 'vitest';
import { readApiError } from './api-error';
import { ApiError } from './endpoint';

// The client reads refusals without zod; it must accept exactly what the ApiError schema accepts.
const samples: unknown[] = [
  { error: 'bad_request', message: 'Region is required', field: 'region' },
  { error: 'conflict', message: 'Saved elsewhere', details: { revision: 3 } },
  { error: 'forbidden', message: 'No WRITE' },
  { error: 'teapot', message: 'Not a code' },
  { error: 'not_found' },
  { error: 'bad_request', message: 'x', field: 3 },
  { error: 'bad_request', message: 'x', details: 'not a record' },
  { error: 'bad_request', message: 'x', details: [1] },
  'Bad gateway',
  null,
  undefined,
  [],
];

describe('a refusal read without zod', () => {
  it.each(samples.map((s) => [JSON.stringify(s) ?? 'undefined', s]))('agrees with the ApiError schema on %s', (_, sample) => {
    const parsed = ApiError.safeParse(sample);
    const expected = parsed.success
      ? { error: parsed.data.error, message: parsed.data.message, ...(parsed.data.field !== undefined ? { field: parsed.data.field } : {}) }
      : undefined;
    expect(readApiError(sample)).toEqual(expected);
  });
});
