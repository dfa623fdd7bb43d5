import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { sampleAppArchive } from '../cloud/docker/test-image';
import { EngineError } from '../errors';
import { pushOciArchive } from './push-image';
import { registryClient } from './registry-client';
import { REGISTRY_SKIP_REASON, registryOrSkip, TEST_REGISTRY, TEST_REGISTRY_PASSWORD, TEST_REGISTRY_USER, uniqueName } from './test-registry';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const creds = { registry: TEST_REGISTRY ?? '', username: TEST_REGISTRY_USER, password: TEST_REGISTRY_PASSWORD };

/** The manifest digest the bakery's layout names in its index.json. */
function layoutDigest(archive: string) {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-push-test-'));
  try {
    execFileSync('tar', ['-xf', archive, '-C', dir, './index.json']);
    return JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')).manifests[0].digest as string;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(registryOrSkip())(`pushing baked OCI images to a real registry (${TEST_REGISTRY ?? REGISTRY_SKIP_REASON})`, () => {
  const said: string[] = [];

  it('uploads every blob and the manifest by tag; the registry serves the same manifest by tag and by digest', async () => {
    const archive = await sampleAppArchive();
    const name = uniqueName('sample-app');
    const pushed = await pushOciArchive(archive, { ...creds, name, tag: 'v1' }, { say: (l) => said.push(l) });
    expect(pushed.digest).toBe(layoutDigest(archive));
    expect(pushed.repository).toBe(`${TEST_REGISTRY}/${name}`);
    expect(pushed.blobs.map((b) => b.how)).toEqual(['uploaded', 'uploaded']);

    const client = registryClient(creds);
    const byTag = await client.getManifest(name, 'v1');
    const byDigest = await client.getManifest(name, pushed.digest);
    expect(byTag?.digest).toBe(pushed.digest);
    expect(byDigest?.body.equals(byTag!.body)).toBe(true);
    const manifest = JSON.parse(byTag!.body.toString());
    for (const blob of [...manifest.layers, manifest.config]) expect(await client.hasBlob(name, blob.digest)).toBe(true);
    // Whatever a push says goes to bake and deploy logs: the password must never be in it.
    expect(said.join('\n')).toContain(`pushed ${TEST_REGISTRY}/${name}:v1 as ${pushed.digest}`);
    expect(said.join('\n')).not.toContain(TEST_REGISTRY_PASSWORD);
  });

  it('a second push of the same image uploads nothing and gives the same digest; another repository mounts the blobs', async () => {
    const archive = await sampleAppArchive();
    const name = uniqueName('shop');
    const first = await pushOciArchive(archive, { ...creds, name, tag: 'v1' });
    const again = await pushOciArchive(archive, { ...creds, name, tag: 'v2' });
    expect(again.digest).toBe(first.digest);
    expect(again.blobs.every((b) => b.how === 'present')).toBe(true);

    const child = await pushOciArchive(archive, { ...creds, name: uniqueName('shop-child'), tag: 'v1', mountFrom: name });
    expect(child.blobs.map((b) => b.how)).toEqual(['mounted', 'mounted']);
    expect(child.digest).toBe(first.digest);
  });

  it('wrong credentials are refused with the registry’s reason, and the error never holds the password', async () => {
    const archive = await sampleAppArchive();
    const wrong = `${TEST_REGISTRY_PASSWORD}-not`;
    const err = await pushOciArchive(archive, { ...creds, password: wrong, name: uniqueName('denied'), tag: 'v1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).kind).toBe('forbidden');
    expect((err as EngineError).message).toMatch(/registry 127\.0\.0\.1:\d+ refused to check blob sha256:[a-f0-9]{64}: HTTP 401/);
    expect((err as EngineError).message).not.toContain(wrong);

    const none = await pushOciArchive(archive, { registry: creds.registry, name: uniqueName('anon'), tag: 'v1' }).catch((e: unknown) => e);
    expect((none as EngineError).message).toContain('the account has no registry credentials');
  });

  it('an archive that is not an OCI layout is refused before anything is sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-push-bad-'));
    try {
      const bad = join(dir, 'bad.tar');
      execFileSync('tar', ['-cf', bad, '-C', dir, '--files-from', '/dev/null']);
      await expect(pushOciArchive(bad, { ...creds, name: uniqueName('bad'), tag: 'v1' })).rejects.toThrow(/not an OCI image layout/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
