import { describe, expect, it } from 'vitest';
import { STAGE_TYPES } from '../../shared/stages/registry';
import { deployUi } from './deploy';
import { stageUi, stageUis } from './registry';
import type { StageUiRegistry } from './stage-ui';
import { waitUi } from './wait';

describe('stage UI registry', () => {
  it('pairs each stage type with its own UI (a mix-up fails tsc -b) and covers every type', () => {
    // @ts-expect-error the deploy form would be shown for wait stages
    const wrong: StageUiRegistry['wait'] = deployUi;
    const right: StageUiRegistry['wait'] = waitUi;
    expect(wrong).not.toBe(right);
    expect(Object.keys(stageUis).sort()).toEqual([...STAGE_TYPES].sort());
    for (const type of STAGE_TYPES) expect(stageUis[type].type).toBe(type);
  });

  it('says in words what a stage does on the execution page, from its config', () => {
    expect(stageUi('runJob').about?.({ command: 'npm test' })).toBe('Runs: npm test');
    expect(stageUi('wait').about?.({ seconds: 30 })).toBe('Waits 30 s');
    expect(stageUi('webhook').about?.({ url: 'https://example.test/hook' })).toBe('Calls POST https://example.test/hook');
    expect(stageUi('pipeline').about?.({ pipeline: 'smoke' })).toBe('Starts pipeline smoke');
    expect(stageUi('deploy').about?.({ account: 'prod' })).toBeUndefined();
  });
});
