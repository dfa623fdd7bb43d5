import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { RecipeDraft } from '../../../shared/domain/recipe';
import { useTestDatabase } from '../../../db/test-builders';
import { bake } from '../bake';
import { artifactPath } from '../store';
import { SAMPLE_APP, saveRecipe, useBakery } from '../test-bakery';

vi.setConfig({ hookTimeout: 30_000, testTimeout: 60_000 });

describe('oci builder', () => {
  const db = useTestDatabase();
  const bakery = useBakery();

  it('writes a valid OCI image layout: every blob matches its digest, the manifest names the layer, the layer holds the root', async () => {
    const { repos } = db();
    const { paths, log, dir } = bakery();
    const recipe = await saveRecipe(repos, {
      name: 'shop-oci',
      builder: 'oci',
      artifact: { source: SAMPLE_APP, destination: '/app/server.mjs' },
      run: { entrypoint: 'app/server.mjs', user: '10001:10001' },
      tests: { files: ['/app/server.mjs'] },
    });
    const { image } = await bake({ repos, paths, log }, { recipe, by: 'tester' });
    expect(image).toMatchObject({ format: 'oci', version: 'v1' });
    expect(image.artifact).toMatch(/^[a-f0-9]{64}\.oci\.tar$/);

    const layout = join(dir, 'layout');
    mkdirSync(layout);
    execFileSync('tar', ['-xf', artifactPath(paths, image.artifact), '-C', layout]);
    expect(JSON.parse(readFileSync(join(layout, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const blobs = join(layout, 'blobs/sha256');
    for (const name of readdirSync(blobs)) {
      expect(
        createHash('sha256')
          .update(readFileSync(join(blobs, name)))
          .digest('hex'),
      ).toBe(name);
    }
    const blob = (digest: string) => readFileSync(join(blobs, digest.slice('sha256:'.length)));
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
    expect(index.manifests[0]).toMatchObject({ mediaType: 'application/vnd.oci.image.manifest.v1+json', annotations: { 'org.opencontainers.image.ref.name': 'shop-oci' } });
    expect(index.manifests[0].size).toBe(statSync(join(blobs, index.manifests[0].digest.slice(7))).size);
    const manifest = JSON.parse(blob(index.manifests[0].digest).toString());
    const config = JSON.parse(blob(manifest.config.digest).toString());
    expect(config.config.Entrypoint).toEqual(['node', '/app/server.mjs']);
    // The recipe's run.user: an engine starts the app as that user, not as root.
    expect(config.config.User).toBe('10001:10001');
    const layerFile = join(blobs, manifest.layers[0].digest.slice(7));
    expect(manifest.layers[0]).toMatchObject({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: statSync(layerFile).size });
    // diff_id is the digest of the uncompressed layer.
    const uncompressed = execFileSync('gzip', ['-dc', layerFile]);
    expect(config.rootfs.diff_ids).toEqual([`sha256:${createHash('sha256').update(uncompressed).digest('hex')}`]);
    expect(execFileSync('tar', ['-tzf', layerFile], { encoding: 'utf8' }).split('\n')).toContain('./app/server.mjs');
  });

  it("refuses a run.user that is neither a user name nor uid[:gid], naming the field (it becomes the image's User)", () => {
    const user = (value: string) => RecipeDraft.safeParse({ name: 'x', builder: 'oci', run: { entrypoint: 'app.mjs', user: value } });
    expect(user('app').success).toBe(true);
    expect(user('10001:10001').success).toBe(true);
    const bad = user('app:$(id)');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(["run.user: user must be a user name (lowercase, e.g. 'app') or 'uid[:gid]'"]);
  });
});
