import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sampleAppArchive } from '../cloud/docker/test-image';
import { pushOciArchive } from './push-image';
import { registryClient } from './registry-client';

const BASIC = `Basic ${Buffer.from('robot:s3cret-pw').toString('base64')}`;

/**
 * A registry behind a token service (Docker Hub, Harbor, GitLab speak this; Debian's
 * docker-registry with htpasswd speaks Basic and is tested in push-image.test.ts), as a fetch:
 * every request is recorded with the Authorization it carried.
 */
function tokenRegistry(options: { realm: string; uploadLocation?: string }) {
  const seen: { method: string; url: string; auth: string | null }[] = [];
  const blobs = new Set<string>();
  const impl = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input));
    const method = init.method ?? 'GET';
    const auth = new Headers(init.headers).get('authorization');
    seen.push({ method, url: url.toString(), auth });
    if (url.toString().startsWith(options.realm)) {
      if (auth !== BASIC) return new Response('{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}', { status: 401 });
      return Response.json({ token: `tok-${url.searchParams.get('scope')}` });
    }
    if (auth !== 'Bearer tok-repository:team/shop:pull,push')
      return new Response('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}', {
        status: 401,
        headers: { 'www-authenticate': `Bearer realm="${options.realm}",service="registry.test",scope="repository:team/shop:pull,push"` },
      });
    const blob = /^\/v2\/team\/shop\/blobs\/(sha256:[a-f0-9]{64})$/.exec(url.pathname);
    if (method === 'HEAD' && blob) return new Response(null, { status: blobs.has(blob[1]!) ? 200 : 404 });
    if (method === 'POST' && url.pathname === '/v2/team/shop/blobs/uploads/')
      return new Response(null, { status: 202, headers: { location: options.uploadLocation ?? '/v2/team/shop/blobs/uploads/u1?_state=abc' } });
    if (method === 'PUT' && url.pathname.startsWith('/v2/team/shop/blobs/uploads/')) {
      const bytes = Buffer.from(await new Response(init.body).arrayBuffer());
      const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      if (digest !== url.searchParams.get('digest') || url.searchParams.get('_state') !== 'abc') return new Response('{"errors":[{"code":"DIGEST_INVALID"}]}', { status: 400 });
      blobs.add(digest);
      return new Response(null, { status: 201 });
    }
    if (method === 'PUT' && url.pathname === '/v2/team/shop/manifests/v4') {
      const bytes = Buffer.from(await new Response(init.body).arrayBuffer());
      return new Response(null, { status: 201, headers: { 'docker-content-digest': `sha256:${createHash('sha256').update(bytes).digest('hex')}` } });
    }
    return new Response('not here', { status: 404 });
  };
  return { seen, fetch: impl as typeof fetch };
}

const target = { registry: 'registry.test/team', username: 'robot', password: 's3cret-pw', name: 'shop', tag: 'v4' };

describe('registry auth by token service (Bearer)', () => {
  it('fetches a token for the repository with the credentials, then pushes every blob and the manifest with that token', async () => {
    const reg = tokenRegistry({ realm: 'https://auth.registry.test/token' });
    const pushed = await pushOciArchive(await sampleAppArchive(), target, { client: registryClient(target, reg.fetch) });
    expect(pushed.blobs.map((b) => b.how)).toEqual(['uploaded', 'uploaded']);
    expect(pushed.repository).toBe('registry.test/team/shop');
    const tokenCalls = reg.seen.filter((r) => r.url.startsWith('https://auth.registry.test/token'));
    expect(tokenCalls).toHaveLength(1);
    expect(new URL(tokenCalls[0]!.url).searchParams.get('service')).toBe('registry.test');
    expect(tokenCalls[0]!.auth).toBe(BASIC);
    // The password went to the token service only; the registry saw the token.
    expect(reg.seen.filter((r) => r.url.startsWith('https://registry.test/')).every((r) => r.auth === null || r.auth.startsWith('Bearer '))).toBe(true);
  });

  it('never sends the credentials to a token service over plain HTTP off this machine', async () => {
    const reg = tokenRegistry({ realm: 'http://auth.registry.test/token' });
    await expect(pushOciArchive(await sampleAppArchive(), target, { client: registryClient(target, reg.fetch) })).rejects.toThrow(
      /registry registry\.test refused to give a token to check blob sha256:[a-f0-9]{64}: HTTP 401 UNAUTHORIZED bad credentials/,
    );
    expect(reg.seen.every((r) => r.auth !== BASIC)).toBe(true);
  });

  it('refuses an upload location on another server rather than send it the token', async () => {
    const reg = tokenRegistry({ realm: 'https://auth.registry.test/token', uploadLocation: 'https://evil.test/v2/team/shop/blobs/uploads/u1?_state=abc' });
    await expect(pushOciArchive(await sampleAppArchive(), target, { client: registryClient(target, reg.fetch) })).rejects.toThrow(
      'registry registry.test sent Kiln to another server (https://evil.test)',
    );
    expect(reg.seen.some((r) => r.url.startsWith('https://evil.test'))).toBe(false);
  });
});
