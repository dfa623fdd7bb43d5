import { describe, expect, it } from 'vitest';
import { STAGE_TYPES } from '../../shared/stages/registry';
import { deployHandler } from './deploy';
import { stageHandlers, type StageHandlers } from './registry';
import { waitHandler } from './wait';

describe('stage handler registry', () => {
  it('pairs each stage type with a handler of that type’s config (a mix-up fails tsc -b)', () => {
    // @ts-expect-error a deploy handler would be handed a wait stage's config
    const wrong: StageHandlers['wait'] = deployHandler;
    const right: StageHandlers['wait'] = waitHandler;
    expect(wrong).not.toBe(right);
    expect(Object.keys(stageHandlers).sort()).toEqual([...STAGE_TYPES].sort());
  });
});
