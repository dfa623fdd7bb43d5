import { describe, expect, it } from 'vitest';
import { StageConfig } from './pipeline';
import { isCredentialHeader, mergeStageSecrets, publicStage } from './stage-secrets';

const hook = (headers: Record<string, string>) => StageConfig.parse({ refId: 'call', type: 'webhook', name: 'Call', config: { url: 'https://x.example/h', headers } });

describe('webhook stage credential headers', () => {
  it('calls Authorization, Cookie and *key*/*token*/*secret* headers credentials, not Content-Type or X-Source', () => {
    for (const name of ['Authorization', 'cookie', 'X-Api-Key', 'X-Auth-Token', 'X-Hub-Secret', 'Proxy-Authorization']) expect(isCredentialHeader(name), name).toBe(true);
    for (const name of ['Content-Type', 'X-Source', 'Accept']) expect(isCredentialHeader(name), name).toBe(false);
  });

  it('masks them on read and takes the stored value back when sent masked; other stage types are untouched', () => {
    const stored = hook({ Authorization: 'Bearer abc', 'Content-Type': 'application/json' });
    const read = publicStage(stored);
    expect(read.config.headers).toEqual({ Authorization: '*****', 'Content-Type': 'application/json' });
    expect(mergeStageSecrets([read], [stored])).toEqual({ stages: [stored], problems: [] });
    const wait = StageConfig.parse({ refId: 'w', type: 'wait', name: 'W', config: { headers: { Authorization: 'x' } } });
    expect(publicStage(wait)).toBe(wait);
  });

  it('refuses a masked value with nothing stored under that stage and header', () => {
    const { problems } = mergeStageSecrets([hook({ Cookie: '*****' })], [hook({ Authorization: 'Bearer abc' })]);
    expect(problems).toEqual([expect.objectContaining({ path: 'stages[0].config.headers.Cookie' })]);
  });
});
