import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Repositories } from '../../db/types';
import { openTestApp } from '../../server/test-app';
import { runKiln } from '../test-cli';

let app: FastifyInstance;
let close: () => Promise<void>;
let url: string;
let token: string;
let repos: Repositories;
const home = mkdtempSync(join(tmpdir(), 'kiln-cli-layers-'));

beforeAll(async () => {
  ({ app, close, token, repos } = await openTestApp({ seed: false }));
  url = await app.listen({ port: 0, host: '127.0.0.1' });
}, 60_000);
afterAll(async () => {
  await close();
  rmSync(home, { recursive: true, force: true });
});

describe('kiln image get', () => {
  it("lists an OCI version's layers with their sizes and what made each", async () => {
    const digest = (c: string) => `sha256:${c.repeat(64)}`;
    await repos.images.create(
      {
        name: 'shop-small',
        build: {
          builder: 'oci',
          tools: {},
          packages: [],
          layers: [
            { digest: digest('a'), sizeBytes: 3 * 1024 * 1024, createdBy: 'kiln bakery: base, artifact, provisioners and provisioning' },
            { digest: digest('b'), sizeBytes: 1948, createdBy: 'COPY --from=build /src/dist /app' },
          ],
        },
        digest: digest('c'),
        sizeBytes: 3 * 1024 * 1024 + 4096,
        format: 'oci',
        artifact: `${'c'.repeat(64)}.oci.tar`,
      },
      'ci',
    );
    const shown = await runKiln(['image', 'get', 'shop-small'], { HOME: home, KILN_URL: url, KILN_TOKEN: token });
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/^v1\s+.*oci\s+3\.0 MB/m);
    expect(shown.out).toMatch(/^VERSION\s+LAYER\s+SIZE\s+CREATED BY$/m);
    expect(shown.out).toMatch(/^v1\s+1\s+3\.0 MB\s+kiln bakery: base, artifact, provisioners and provisioning$/m);
    expect(shown.out).toMatch(/^v1\s+2\s+1\.9 KB\s+COPY --from=build \/src\/dist \/app$/m);
  });
});
