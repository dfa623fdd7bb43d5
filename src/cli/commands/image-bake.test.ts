import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '../../shared/domain/account';
import { RecipeDraft } from '../../shared/domain/recipe';
import { openBakeNowApp } from '../../server/test-bake-now';
import { EXIT } from '../io';
import { runKiln } from '../test-cli';

const home = mkdtempSync(join(tmpdir(), 'kiln-bake-cli-home-'));
let ctx: Awaited<ReturnType<typeof openBakeNowApp>>;
let url: string;
const kiln = (args: string[], who = 'ana') => runKiln(args, { HOME: home, KILN_URL: url, KILN_TOKEN: ctx.tokens[who]! }, { pauseMs: 100 });

beforeAll(async () => {
  ctx = await openBakeNowApp({
    rita: [{ resourceType: 'application', resource: 'web', permission: 'READ' }],
    ed: [{ resourceType: 'application', resource: 'web', permission: 'EXECUTE' }],
  });
  await ctx.repos.accounts.upsert(
    Account.parse({ name: 'reg', provider: 'docker', environment: 'test', regions: ['local'], demo: false, endpoint: { registry: '127.0.0.1:1/team' } }),
  );
  // A recipe whose image test fails: the file it checks for is never made.
  await ctx.repos.recipes.create(RecipeDraft.parse({ name: 'broken', tests: { files: ['/missing.txt'], boot: false } }), 'ana');
  url = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
}, 60_000);
afterAll(async () => {
  await ctx.close();
  rmSync(home, { recursive: true, force: true });
});

describe('kiln image bake', { timeout: 90_000 }, () => {
  it('needs a RECIPE and --app', async () => {
    expect(await kiln(['image', 'bake'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('expected RECIPE, got none') });
    expect(await kiln(['image', 'bake', 'shop'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('--app is required') });
  });

  it('is refused for someone who may only read the application, or push where they may not deploy, and bakes nothing', async () => {
    const run = await kiln(['image', 'bake', 'shop', '--app', 'web'], 'rita');
    expect(run).toMatchObject({ code: EXIT.failed, err: expect.stringContaining("HTTP 403: rita lacks EXECUTE permission on application 'web'.") });
    const push = await kiln(['image', 'bake', 'shop', '--app', 'web', '--push', 'reg', '--wait'], 'ed');
    expect(push).toMatchObject({ code: EXIT.failed, err: expect.stringContaining("HTTP 403: ed lacks EXECUTE permission on account 'reg'") });
    expect(push.err).toContain('(field: push.0)');
    expect((await ctx.repos.executions.list(undefined, { limit: 5 })).executions).toEqual([]);
  });

  it('--wait streams the live log and ends with the baked name:vN and digest', async () => {
    const run = await kiln(['image', 'bake', 'shop', '--app', 'web', '--wait']);
    expect(run.err).toBe('');
    expect(run.code).toBe(EXIT.ok);
    const id = /bake ([0-9a-f-]{36})\n/.exec(run.out)?.[1];
    expect(run.out).toContain(`${url}/applications/web/executions/${id}?stage=bake`);
    // Packer's machine-readable lines, as the log viewer reads them.
    expect(run.out).toMatch(/^\d+,[^,\n]+,ui,say,/m);
    expect(run.out).toMatch(/\nBaked shop:v1 sha256:[a-f0-9]{64} \(\d+\.\d MB\)\n$/);
  });

  it('without --wait prints the bake id and its URL; a second bake while one runs is refused naming it; --wait on a failing bake exits 1 with the reason', async () => {
    // The held bake is started and paused in-process, before the engine's next tick (50 ms) can run it:
    // a CLI round trip can come after this broken recipe's bake has already failed.
    const as = (method: 'POST', path: string, payload: object) => ctx.app.inject({ method, url: path, headers: { authorization: `Bearer ${ctx.tokens.ana}` }, payload });
    const held = (await as('POST', '/api/applications/web/recipes/broken/bakes', {})).json() as { id: string };
    expect((await as('POST', `/api/executions/${held.id}/pause`, { reason: 'hold it' })).statusCode).toBe(200);
    const again = await kiln(['image', 'bake', 'broken', '--app', 'web', '--wait']);
    expect(again).toMatchObject({ code: EXIT.failed, err: expect.stringContaining(`HTTP 409: Recipe 'broken' is already being baked: bake ${held.id}`) });
    expect((await kiln(['execution', 'resume', held.id])).code).toBe(EXIT.ok);
    expect((await kiln(['execution', 'wait', held.id])).code).toBe(EXIT.failed);

    const started = await kiln(['image', 'bake', 'broken', '--app', 'web']);
    expect(started.code).toBe(EXIT.ok);
    expect(started.out).toMatch(/^Baking broken for web: bake [0-9a-f-]{36}\nhttp:\/\/127\.0\.0\.1:\d+\/applications\/web\/executions\/[0-9a-f-]{36}\?stage=bake\n/);
    const id = /bake ([0-9a-f-]{36})/.exec(started.out)![1]!;
    expect((await kiln(['execution', 'wait', id])).code).toBe(EXIT.failed);
    const failing = await kiln(['image', 'bake', 'broken', '--app', 'web', '--wait']);
    expect(failing.code).toBe(EXIT.failed);
    expect(failing.err).toMatch(/^kiln: bake [0-9a-f-]{36} ended TERMINAL: .*missing\.txt/m);
  });
});
