import { describe, expect, it } from 'vitest';
import { Trigger } from './pipeline';
import { maskUrl, mergeNotifications, mergeTriggers, publicPipeline } from './pipeline-secrets';

const stamp = (by: string) => {
  let n = 0;
  return { by, at: '2026-12-06T10:00:00.000Z', newId: () => `new-${(n += 1)}` };
};
const parse = (raw: unknown[]) => raw.map((t) => Trigger.parse(t));

describe('maskUrl', () => {
  it('hides user:pass@, a lone token user, credential query parameters and token-like path segments, and leaves other URLs byte for byte', () => {
    expect(maskUrl('https://bot:s3cret@chat.example.com/hook?room=ops&access_token=xyz&sig=abc')).toBe(
      'https://bot:*****@chat.example.com/hook?room=ops&access_token=*****&sig=*****',
    );
    expect(maskUrl('https://ghp_abc123@example.com/x')).toBe('https://*****@example.com/x');
    expect(maskUrl('https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX1234ABCD')).toBe('https://hooks.slack.com/services/T000/B000/*****');
    for (const plain of ['https://hooks.example.com/deploys?channel=ops', 'http://127.0.0.1:9000/', 'not a url']) expect(maskUrl(plain)).toBe(plain);
  });
});

describe('mergeTriggers', () => {
  const stored = parse([
    { type: 'manual', id: 'm' },
    { type: 'webhook', id: 'w', secret: 'stored-secret-of-16+', secretSetAt: '2026-01-01T00:00:00.000Z', secretSetBy: 'ana', runAs: 'ana', setAt: '2026-01-01T00:00:00.000Z' },
  ]);
  const sentBack = parse(publicPipeline({ stages: [], triggers: stored, notifications: [] } as never).triggers as unknown[]);

  it('keeps the secret and the owner of a trigger sent back unchanged: not a change', () => {
    const merged = mergeTriggers(sentBack, stored, stamp('walt'));
    expect(merged).toMatchObject({ ok: true, changed: false, triggers: stored });
  });

  it('calls a new secret, a disabled trigger, a removed or an added one a change, owned by the saver', () => {
    const webhook = sentBack[1] as Extract<Trigger, { type: 'webhook' }>;
    for (const incoming of [[sentBack[0]!, { ...webhook, secret: 'another-secret-16+' }], [sentBack[0]!, { ...webhook, enabled: false }], [sentBack[0]!]]) {
      const merged = mergeTriggers(incoming, stored, stamp('ed'));
      const changed = incoming.length > 1 ? [{ runAs: 'ed', setAt: '2026-12-06T10:00:00.000Z' }] : [];
      expect(merged).toMatchObject({ ok: true, changed: true, triggers: [{}, ...changed] });
    }
    const added = mergeTriggers([...sentBack, ...parse([{ type: 'cron', expression: '0 * * * *', runAs: 'ana' }])], stored, stamp('ed'));
    expect(added).toMatchObject({ ok: true, changed: true, triggers: [{}, { runAs: 'ana' }, { id: 'new-1', runAs: 'ed' }] });
  });

  it('does not call adding or removing a manual trigger a change (WRITE is enough for it)', () => {
    expect(mergeTriggers([sentBack[1]!], stored, stamp('walt'))).toMatchObject({ ok: true, changed: false });
  });

  it('matches an id once: a trigger sent twice is a new trigger the second time (a change, with no secret to copy)', () => {
    const webhook = sentBack[1]!;
    expect(mergeTriggers([webhook, webhook], stored, stamp('walt'))).toMatchObject({ ok: false, problems: [{ path: 'triggers[1].secret' }] });
  });

  it('names the trigger whose secret is neither sent nor stored', () => {
    expect(mergeTriggers(parse([{ type: 'webhook', id: 'elsewhere', secretSet: true }]), stored, stamp('ed'))).toEqual({
      ok: false,
      problems: [{ path: 'triggers[0].secret', message: expect.stringMatching(/needs a shared secret/) }],
    });
  });

  it('gives triggers stored before ids existed one from their place, so they round-trip', () => {
    const legacy = parse([{ type: 'webhook', secret: 'legacy-secret-of-16+' }]);
    const view = publicPipeline({ stages: [], triggers: legacy, notifications: [] } as never).triggers;
    expect(view[0]).toMatchObject({ id: 't0', secretSet: true });
    expect(mergeTriggers(parse(view), legacy, stamp('walt'))).toMatchObject({ ok: true, changed: false, triggers: [{ id: 't0', secret: 'legacy-secret-of-16+' }] });
  });
});

describe('mergeNotifications', () => {
  const stored = [{ url: 'https://u:p@x.example.com/h?token=1', events: ['failed' as const], credentialsSetAt: '2026-01-01T00:00:00.000Z', credentialsSetBy: 'ana' }];
  it('takes the stored URL for its masked form, stamps new credentials and refuses a mask that matches nothing', () => {
    expect(mergeNotifications([{ url: maskUrl(stored[0]!.url), events: ['failed'] }], stored, stamp('ed'))).toEqual({ ok: true, notifications: stored });
    expect(mergeNotifications([{ url: 'https://x.example.com/h?token=2', events: ['failed'] }], stored, stamp('ed'))).toMatchObject({
      ok: true,
      notifications: [{ credentialsSetBy: 'ed' }],
    });
    expect(mergeNotifications([{ url: 'https://u:*****@evil.example.com/', events: ['failed'] }], stored, stamp('ed'))).toMatchObject({
      ok: false,
      problems: [{ path: 'notifications[0].url' }],
    });
  });
});
