import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp } from '../server/test-app';
import type { FastifyInstance } from 'fastify';
import { COMMANDS } from './main';
import { runKiln } from './test-cli';
import { EXIT } from './io';
import { gceBakeDeploy } from '../shared/spinnaker/test-pipelines';
import { jenkinsManifest } from '../shared/spinnaker/test-ops-pipelines';
import type { Repositories } from '../db/types';

let app: FastifyInstance;
let close: () => Promise<void>;
let url: string;
let token: string;
let repos: Repositories;
const home = mkdtempSync(join(tmpdir(), 'kiln-cli-home-'));

beforeAll(async () => {
  ({ app, close, token, repos } = await openTestApp());
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => close());

/** Runs `kiln ARGS` in-process against the test BFF; returns exit code and what it printed. */
const kiln = (args: string[], stdin = '', env: Record<string, string> = {}) => runKiln(args, { HOME: home, KILN_URL: url, KILN_TOKEN: token, ...env }, { stdin, pauseMs: 20 });

const file = (name: string, text: string) => {
  const path = join(home, name);
  writeFileSync(path, text);
  return path;
};

describe('kiln CLI', () => {
  it('prints help for itself and for every command, and exits 2 with usage on bad arguments', async () => {
    const help = await kiln(['--help']);
    expect(help.code).toBe(EXIT.ok);
    for (const c of COMMANDS) expect(help.out).toContain(`kiln ${c.words.join(' ')}`);
    for (const c of COMMANDS) {
      const one = await kiln([...c.words, '--help']);
      expect(one.code, c.words.join(' ')).toBe(EXIT.ok);
      expect(one.out).toMatch(/^Usage: kiln /);
    }
    expect(await kiln([])).toMatchObject({ code: EXIT.usage });
    expect(await kiln(['pipeline', 'fly'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining("unknown command 'pipeline fly'") });
    expect(await kiln(['cluster', 'list'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('expected APP') });
    expect(await kiln(['app', 'list', '--colour'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining("Unknown option '--colour'") });
    expect(await kiln(['app', 'list', '--url', 'ftp://x'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('--url must be an http(s) URL') });
  });

  it('lists applications and clusters as tables, or as the API JSON with --json', async () => {
    const apps = await kiln(['app', 'list']);
    expect(apps.code).toBe(0);
    expect(apps.out.split('\n')[0]).toMatch(/^APPLICATION\s+PROJECT\s+CLUSTERS/);
    expect(apps.out).toMatch(/\nweb\s+shop\s+2\s+/);
    const clusters = JSON.parse((await kiln(['--json', 'cluster', 'list', 'web'])).out);
    expect(clusters.application).toBe('web');
    const human = await kiln(['cluster', 'list', 'web', '--account', 'prod']);
    expect(human.out).toContain('web-prod-v002');
    expect(human.out).not.toContain('web-staging');
    const missing = await kiln(['cluster', 'list', 'ghost']);
    expect(missing).toMatchObject({ code: EXIT.failed, err: "kiln: HTTP 404: Application 'ghost' does not exist. (field: application)\n" });
  });

  it('saves, validates, runs a pipeline by APP/NAME and follows its logs to the end', async () => {
    const bad = file('bad.yaml', 'application: web\nname: Broken\nstages:\n  - refId: a\n    type: teleport\n    name: Beam\n');
    const invalid = await kiln(['pipeline', 'validate', bad]);
    expect(invalid.code).toBe(EXIT.failed);
    expect(invalid.out).toContain("unknown stage type 'teleport'");
    const good = file(
      'good.yaml',
      [
        'application: web',
        'name: CLI build',
        'concurrency: { limitConcurrent: false }',
        'parameters: [{ name: version, required: true }]',
        'stages:',
        '  - refId: build',
        '    type: runJob',
        '    name: Build',
        '    config: { command: "echo building ${ parameters.version }; echo done" }',
      ].join('\n'),
    );
    expect(await kiln(['pipeline', 'validate', good])).toMatchObject({ code: 0, out: 'Valid.\n' });
    const saved = await kiln(['pipeline', 'save', good]);
    expect(saved.out).toMatch(/^Saved web\/CLI build revision 1 /);
    const noParam = await kiln(['pipeline', 'run', 'web/CLI build']);
    expect(noParam).toMatchObject({ code: EXIT.failed, err: expect.stringContaining("parameter 'version' is required (field: parameters.version)") });
    const run = await kiln(['pipeline', 'run', 'web/CLI build', '-p', 'version=1.2.3', '--wait']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('Ended SUCCEEDED');
    const id = /execution ([0-9a-f-]{36})/.exec(run.out)![1]!;
    expect((await kiln(['execution', 'logs', id, '--follow'])).out).toBe('building 1.2.3\ndone\n');
    const detail = await kiln(['execution', 'get', id]);
    expect(detail.out).toMatch(/Build\s+build\s+runJob\s+SUCCEEDED/);
    expect((await kiln(['pipeline', 'run', 'web/Nope'])).err).toContain("application 'web' has no pipeline named 'Nope'");
  });

  it('saves a new revision from `pipeline get` output, and refuses a stale one', async () => {
    const created = file('wait.json', JSON.stringify({ application: 'web', name: 'CLI wait', stages: [{ refId: 'w', type: 'wait', name: 'W', config: { seconds: 1 } }] }));
    await kiln(['pipeline', 'save', created]);
    const current = JSON.parse((await kiln(['pipeline', 'get', 'web/CLI wait'])).out);
    const edited = file('edited.json', JSON.stringify({ ...current, description: 'edited from the CLI' }));
    expect((await kiln(['pipeline', 'save', edited])).out).toContain('revision 2');
    const stale = await kiln(['pipeline', 'save', edited]);
    expect(stale.code).toBe(EXIT.failed);
    expect(stale.err).toContain('HTTP 409');
  });

  it('prints a pipeline without its webhook secret, and saving that output back keeps the secret', async () => {
    const secret = 'cli-webhook-secret-of-32-characters';
    await kiln(['pipeline', 'save', file('hooked.json', JSON.stringify({ application: 'web', name: 'CLI hooked', stages: [], triggers: [{ type: 'webhook', secret }] }))]);
    const printed = await kiln(['pipeline', 'get', 'web/CLI hooked']);
    expect(printed.out).not.toContain(secret);
    const current = JSON.parse(printed.out);
    expect(current.triggers[0]).toMatchObject({ secretSet: true, secretSetBy: 'ana', runAs: 'ana' });
    expect((await kiln(['pipeline', 'save', file('hooked-edit.json', JSON.stringify({ ...current, description: 'edited' }))])).out).toContain('revision 2');
    const stored = (await repos.pipelines.get(current.id))!.triggers[0]!;
    expect(stored).toMatchObject({ type: 'webhook', secret });
  });

  it('judges a waiting execution once, and says who judged first on the second try', async () => {
    const p = file(
      'judge.json',
      JSON.stringify({ application: 'web', name: 'CLI judge', stages: [{ refId: 'ok', type: 'manualJudgment', name: 'Ship?', config: { instructions: 'Go?' } }] }),
    );
    await kiln(['pipeline', 'save', p]);
    const started = await kiln(['--json', 'pipeline', 'run', 'web/CLI judge']);
    const id = JSON.parse(started.out).id as string;
    expect(await kiln(['execution', 'wait', id, '--for', 'soon'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining("--for must be 'judgment' or 'end'") });
    expect(await kiln(['execution', 'wait', id, '--timeout', '0'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('--timeout must be a whole number') });
    const waiting = await kiln(['execution', 'wait', id, '--for', 'judgment', '--timeout', '30']);
    expect(waiting).toMatchObject({ code: 0, out: `Waiting for a judgment on stage 'ok' (Ship?). Approve with: kiln execution judge ${id} ok --approve\n` });
    // Waiting for the end of an execution that waits for a person gives up at the timeout, exit 1.
    expect(await kiln(['execution', 'wait', id, '--timeout', '1'])).toMatchObject({ code: EXIT.failed, err: expect.stringContaining('is still RUNNING after 1 s') });
    expect(await kiln(['execution', 'judge', id, 'ok'])).toMatchObject({ code: EXIT.usage });
    expect(await kiln(['execution', 'judge', id, 'ok', '--reject'])).toMatchObject({ code: EXIT.failed, err: expect.stringContaining('a rejection needs a comment') });
    expect((await kiln(['execution', 'judge', id, 'ok', '--approve', '--comment', 'lgtm'])).code).toBe(0);
    expect((await kiln(['execution', 'judge', id, 'ok', '--approve'])).err).toMatch(/Already judged: approve by ana/);
    expect(await kiln(['execution', 'wait', id, '--timeout', '30'])).toMatchObject({ code: 0, out: `Execution ${id} ended SUCCEEDED\n` });
  });

  it('translates Butane from stdin, and fails under --strict with warnings', async () => {
    const butane = 'variant: flatcar\nversion: 1.0.0\nstorage:\n  files:\n    - path: /etc/motd\n      filesystem: root\n      contents: { inline: hi }\n';
    const ok = await kiln(['butane', 'translate'], butane);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).ignition.version).toBe('3.3.0');
    expect(ok.err).toContain('warning at $.storage.files.0.filesystem, line 6 col 7: Unused key filesystem');
    expect((await kiln(['butane', 'translate', '--strict'], butane)).code).toBe(EXIT.failed);
    expect(await kiln(['butane', 'translate', join(home, 'missing.bu')])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('no such file') });
  });

  it('remembers the server with login, and exits 3 when it cannot reach one', async () => {
    const login = await kiln(['login', '--url', url], '', { KILN_URL: '' });
    expect(login.code).toBe(0);
    expect(login.out).toContain(`at ${url} answers; saved to ${join(home, '.config', 'kiln', 'config.json')}`);
    const down = await kiln(['app', 'list', '--url', 'http://127.0.0.1:9']);
    expect(down.code).toBe(EXIT.unreachable);
    expect(down.err).toMatch(/^kiln: cannot reach Kiln at http:\/\/127\.0\.0\.1:9: /);
  });

  it('runs as the `kiln` bin from package.json', { timeout: 30_000 }, async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(import.meta.dirname, 'kiln.mjs'), '--help']);
    expect(stdout).toContain('Usage: kiln [--url URL] [--json] COMMAND');
    const bad = await promisify(execFile)(process.execPath, [join(import.meta.dirname, 'kiln.mjs'), 'nonsense']).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown command 'nonsense'") });
  });

  it('lists, shows and revokes images; refuses a revoke without a reason', async () => {
    expect((await kiln(['image', 'list'])).out).toBe('No images.\n');
    const digest = `sha256:${'1'.padStart(64, '0')}`;
    await repos.images.create(
      { name: 'shop', build: { builder: 'bundle', tools: {}, packages: [] }, digest, sizeBytes: 5 * 1024 * 1024, format: 'bundle', artifact: `${digest.slice(7)}.tar.zst` },
      'ci',
    );
    expect((await kiln(['image', 'list'])).out).toMatch(/\nshop\s+1\s+v1\s+.*latest=v1/);
    expect(await kiln(['image', 'revoke', 'shop', 'v1'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('--reason is required') });
    expect((await kiln(['image', 'revoke', 'shop', 'v1', '--reason', 'leaks memory'])).out).toBe('Revoked shop:v1\n');
    const shown = await kiln(['image', 'get', 'shop']);
    expect(shown.out).toMatch(/v1\s+.*bundle\s+5\.0 MB\s+-\s+revoked: leaks memory/);
    expect(shown.out).toContain('Runs nowhere.');
    expect(await kiln(['image', 'get', 'ghost'])).toMatchObject({ code: EXIT.failed, err: expect.stringContaining('HTTP 404') });
    // A revocation made in error is lifted with a reason; a second restore says there is nothing to lift.
    expect(await kiln(['image', 'restore', 'shop', 'v1'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('--reason is required') });
    expect((await kiln(['image', 'restore', 'shop', 'v1', '--reason', 'the leak was in the test harness'])).out).toBe('Restored shop:v1 (it was revoked: leaks memory)\n');
    expect(await kiln(['image', 'restore', 'shop', 'v1', '--reason', 'again'])).toMatchObject({ code: EXIT.failed, err: expect.stringContaining('shop:v1 is not revoked') });
  });

  it('converts Spinnaker pipelines (one, or a list) with accounts and regions mapped; drafts with placeholders are created; the summary counts both', async () => {
    const fixture = join(import.meta.dirname, '../../e2e/fixtures/spinnaker-pipeline.json');
    const printed = await kiln(['spinnaker', 'import', fixture]);
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.out).stages.map((s: { type: string }) => s.type)).toEqual(['wait', 'bake', 'webhook', 'manualJudgment', 'placeholder']);
    expect(printed.err).toContain('5 stages: 4 mapped, 1 placeholder (Ship manifest (deployManifest))');

    const list = file('pipelines.json', JSON.stringify([gceBakeDeploy, jenkinsManifest]));
    const maps = ['--account-map', 'gce-prod=prod,gce-test=test', '--region-map', 'us-central1=local-east,europe-west1=local-west'];
    const created = await kiln(['spinnaker', 'import', list, '--app', 'web', ...maps]);
    expect(created.code).toBe(EXIT.ok);
    expect(created.out).toMatch(/Created web\/Bake and deploy to prod revision 1/);
    expect(created.out).toMatch(/Created web\/Build and ship to Kubernetes revision 1 \(.*\); replace 4 placeholder stage\(s\) before running/);
    expect(created.err).toContain('Bake and deploy to prod: 7 stages: 7 mapped, 0 placeholders');
    expect(created.err).toContain('Build and ship to Kubernetes: 7 stages: 3 mapped, 4 placeholders (Render chart (bakeManifest)');
    expect(created.err).toMatch(/Bake and deploy to prod: webhook trigger 2 secret \(shown once, keep it\): [0-9a-f]{48}/);
    expect(created.err).toContain('warning: Bake and deploy to prod: $.stages[1].clusters[0].instanceType: cloud-specific setting not kept');
    const stored = (await repos.pipelines.listByApplication('web')).find((p) => p.name === 'Bake and deploy to prod')!;
    expect(stored.stages.filter((s) => s.type === 'deploy').map((s) => [s.config.account, s.config.region])).toEqual([
      ['prod', 'local-east'],
      ['test', 'local-west'],
    ]);

    expect(await kiln(['spinnaker', 'import', list, '--account-map', 'gce-prod'])).toMatchObject({
      code: EXIT.usage,
      err: expect.stringContaining("--account-map: 'gce-prod' is not FROM=TO"),
    });
    expect(await kiln(['spinnaker', 'import', file('not.json', '{ nope')])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('is not JSON') });
    expect(await kiln(['spinnaker', 'import', file('huge.json', `{"stages":[],"x":"${'a'.repeat(10 * 1024 * 1024)}"}`)])).toMatchObject({
      code: EXIT.usage,
      err: expect.stringContaining('the file is 10.0 MB; a Spinnaker pipeline is at most 2 MB'),
    });
    expect(await kiln(['spinnaker', 'import', file('template.json', '{"schema":"v2","template":{"source":"x"}}')])).toMatchObject({
      code: EXIT.failed,
      err: expect.stringContaining('a pipeline template or a saved template config is not a pipeline'),
    });
  });
});
