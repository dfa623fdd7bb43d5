import { describe, expect, it } from 'vitest';
import { configFieldLabel } from './problem-messages';
import { validatePipeline } from './pipeline-validate';

const withStage = (type: string, config: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  application: 'web',
  name: 'Deploy',
  stages: [{ refId: 'a', type, name: 'S', config, ...extra }],
});
const messages = (raw: unknown) => validatePipeline(raw).problems.map((p) => p.message);

describe('problem messages for people', () => {
  it('names the field by its label and says the rule in its unit, not zod’s types and operators', () => {
    expect(messages(withStage('wait', { seconds: -1 }))).toEqual(['Wait time must be 0 seconds or more']);
    expect(messages(withStage('wait', { seconds: 8 * 24 * 3600 }))).toEqual(['Wait time must be 604800 seconds (7 days) or less']);
    expect(messages(withStage('runJob', { command: 'make', timeoutSec: 0 }))).toEqual(['Timeout must be 1 second or more']);
    expect(messages(withStage('runJob', { command: 'make', timeoutSec: 1.5 }))).toEqual(['Timeout must be a whole number']);
    expect(messages(withStage('runJob', {}))).toEqual(['Command is required']);
  });

  it('words the stage’s own fields and the schema’s own messages the same way', () => {
    expect(messages(withStage('wait', { seconds: 1 }, { timeoutSec: 0 }))).toEqual(['Stage timeout must be 1 second or more']);
    expect(messages(withStage('wait', { seconds: 'soon' }))).toEqual(['Wait time must be a number or a ${ … } expression']);
    expect(messages(withStage('runJob', { command: ' ' }))).toEqual(['Command must not be empty']);
    expect(messages(withStage('wait', { seconds: 1 }, { failPolicy: 'explode' }))[0]).toMatch(/^On failure must be one of halt_pipeline, /);
  });

  it('the form labels the field the way its messages name it', () => {
    expect(configFieldLabel('wait', 'seconds')).toBe('Wait time (seconds)');
    expect(configFieldLabel('runJob', 'timeoutSec')).toBe('Timeout (seconds)');
    expect(configFieldLabel('deploy', 'maxRemainingAsgs')).toBe('Max Remaining Asgs');
  });
});
