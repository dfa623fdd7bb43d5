import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { PipelineDraft } from '../../shared/domain/pipeline';
import type { Repositories } from '../../db/types';
import { openTestApp } from '../../server/test-app';
import { runKiln } from '../test-cli';
import { EXIT } from '../io';

let app: FastifyInstance;
let close: () => Promise<void>;
let url: string;
let token: string;
let repos: Repositories;
const home = mkdtempSync(join(tmpdir(), 'kiln-cli-pipelines-'));

beforeAll(async () => {
  ({ app, close, token, repos } = await openTestApp());
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  const stages = [{ refId: 'w', type: 'wait', name: 'Soak', config: { seconds: 1 } }];
  await repos.pipelines.create(PipelineDraft.parse({ application: 'web', name: 'Nightly', stages, triggers: [{ type: 'webhook', secret: 'an-old-secret-of-16+' }] }), 'ana');
  await repos.pipelines.create(
    PipelineDraft.parse({
      application: 'billing',
      name: 'Invoices',
      stages: [{ refId: 'r', type: 'pipeline', name: 'Run nightly', config: { application: 'web', pipeline: 'Nightly' } }],
    }),
    'ana',
  );
});
afterAll(() => close());

const kiln = (...args: string[]) => runKiln(args, { HOME: home, KILN_URL: url, KILN_TOKEN: token });

describe('kiln pipeline rename | duplicate | delete', () => {
  it('renames, copies with a new secret shown once, and deletes only what nothing else runs', async () => {
    expect((await kiln('pipeline', 'rename', 'web/Nightly', 'Nightly build')).out).toBe('Renamed to web/Nightly build (revision 2); now run by name from billing/Invoices\n');
    expect((await kiln('pipeline', 'rename', 'web/Nightly build', '')).code).toBe(EXIT.failed);

    const copied = await kiln('pipeline', 'duplicate', 'web/Nightly build', '--app', 'billing');
    expect(copied.code).toBe(EXIT.ok);
    expect(copied.out).toMatch(
      /^Copied to billing\/Nightly build \(copy\) \([0-9a-f-]{36}\); its triggers are disabled until someone with EXECUTE turns them on\.\nNew webhook secret for trigger \S+ \(shown only now\): \S{20,}\n$/,
    );

    const refused = await kiln('pipeline', 'delete', 'web/Nightly build');
    expect(refused).toMatchObject({ code: EXIT.failed, err: expect.stringContaining("'billing/Invoices' runs or watches it") });
    expect((await kiln('pipeline', 'delete', 'billing/Nightly build (copy)')).out).toMatch(
      /^Deleted pipeline 'Nightly build \(copy\)' \([0-9a-f-]{36}\); its past executions stay readable\.\n$/,
    );
    expect((await kiln('pipeline', 'list', 'billing')).out).not.toContain('Nightly build (copy)');
  });
});
