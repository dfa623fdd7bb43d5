import type { FastifyRequest } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import type { Me } from '../../shared/domain/user';
import { sweepRights, type WatchedStream } from './rights-sweep';

const request = (authorization: string | undefined, cookie?: string) =>
  ({ headers: { ...(authorization ? { authorization } : {}), ...(cookie ? { cookie } : {}) } }) as FastifyRequest;
const me = (name: string) => ({ user: { name } }) as unknown as Me;
const stream = (req: FastifyRequest, scope: string) => ({ request: req, scope, end: vi.fn<() => void>() }) satisfies WatchedStream;
const scopeOf = (m: Me | undefined) => (m ? `user:${m.user.name}` : 'nobody');

describe('sweepRights', () => {
  it('checks each credential once however many streams present it, and ends only the streams whose rights changed', async () => {
    const ana = request('Bearer ana');
    const anas = Array.from({ length: 500 }, () => stream(ana, 'user:ana'));
    // Kim's token was revoked: every stream opened with it ends, on whatever request object it came.
    const kims = [stream(request('Bearer kim'), 'user:kim'), stream(request('Bearer kim'), 'user:kim')];
    // Same cookie header, other session than Lee's token: a stream of its own.
    const cookie = stream(request(undefined, 'kiln_session=s1'), 'user:lee');
    const meNow = vi.fn<(r: FastifyRequest) => Promise<Me | undefined>>(async (r) => {
      const auth = r.headers.authorization;
      if (auth === 'Bearer ana') return me('ana');
      if (auth === undefined && r.headers.cookie === 'kiln_session=s1') return me('lee');
      return undefined;
    });

    await sweepRights([...anas, ...kims, cookie], meNow, scopeOf);

    expect(meNow).toHaveBeenCalledTimes(3);
    for (const s of anas) expect(s.end).not.toHaveBeenCalled();
    for (const s of kims) expect(s.end).toHaveBeenCalledOnce();
    expect(cookie.end).not.toHaveBeenCalled();
  });

  it('lets other work run between slices when many credentials are open, instead of one long pause', async () => {
    const streams = Array.from({ length: 1000 }, (_, i) => stream(request(`Bearer t${i}`), `user:t${i}`));
    const checkedBeforeOtherWork: number[] = [];
    let checked = 0;
    setImmediate(() => checkedBeforeOtherWork.push(checked));
    await sweepRights(streams, async (r) => ((checked += 1), me(r.headers.authorization!.slice(7))), scopeOf);
    expect(checked).toBe(1000);
    // Other work ran after the first slice, long before the last credential.
    expect(checkedBeforeOtherWork).toHaveLength(1);
    expect(checkedBeforeOtherWork[0]).toBeLessThan(1000);
    for (const s of streams) expect(s.end).not.toHaveBeenCalled();
  });
});
