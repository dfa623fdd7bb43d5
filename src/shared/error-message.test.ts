import { describe, expect, it } from 'vitest';
import { errorMessage } from './error-message';

describe('errorMessage', () => {
  it('reads an Error’s message and turns anything else thrown into words', () => {
    expect(errorMessage(new TypeError('bad port'))).toBe('bad port');
    expect(errorMessage('plain string')).toBe('plain string');
    expect(errorMessage(42)).toBe('42');
  });
});
