import { describe, expect, it } from 'vitest';
import { buildPath } from './endpoint';
import { BUTANE_MAX_BYTES, TranslateButaneRequest, TranslateButaneResponse, translateButaneToIgnition } from './provisioning';
import { translateButane } from '../provisioning/translate-butane';

describe('POST /api/provisioning/butane:translate', () => {
  it('is addressed with a literal colon', () => {
    expect(buildPath(translateButaneToIgnition.path, {})).toBe('/api/provisioning/butane:translate');
    expect(translateButaneToIgnition.method).toBe('POST');
  });

  it('bounds the source at 256 KiB of UTF-8 and names the field', () => {
    expect(TranslateButaneRequest.safeParse({ butane: 'a'.repeat(BUTANE_MAX_BYTES) }).success).toBe(true);
    const tooLong = TranslateButaneRequest.safeParse({ butane: 'é'.repeat(BUTANE_MAX_BYTES / 2 + 1) });
    expect(tooLong.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['butane', 'butane must be at most 256 KiB']]);
    expect(TranslateButaneRequest.safeParse({ butane: 1 }).success).toBe(false);
    expect(TranslateButaneRequest.safeParse({ butane: '', strict: 'yes' }).success).toBe(false);
  });

  it("carries the translator's result, failures included, as a 200 body", () => {
    const ok = translateButane('variant: flatcar\nversion: 1.0.0\n');
    const bad = translateButane('variant: flatcar\nversion: 9.9.9\n');
    for (const r of [ok, bad]) {
      const body = { ignition: r.ignition ?? null, warnings: r.warnings, errors: r.errors };
      expect(TranslateButaneResponse.parse(body)).toEqual(body);
    }
    expect(bad.errors[0]).toMatchObject({ path: '$.version', line: 2, column: 10 });
  });
});
