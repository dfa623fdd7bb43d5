import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Repositories } from '../../db/types';
import { openTestApp } from '../../server/test-app';
import { runKiln } from '../test-cli';
import { EXIT } from '../io';

let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
let url: string;
let token: string;
const home = mkdtempSync(join(tmpdir(), 'kiln-cli-ci-'));
const tokenFile = join(home, 'jenkins-token');
const SECRET = 'jenkins-token-never-shown-cli-77';

beforeAll(async () => {
  ({ app, repos, close, token } = await openTestApp());
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  writeFileSync(tokenFile, `${SECRET}\n`);
}, 60_000);
afterAll(() => close());

const kiln = (args: string[], env: Record<string, string> = {}, stdin?: string) =>
  runKiln(args, { HOME: home, KILN_URL: url, KILN_TOKEN: token, ...env }, stdin === undefined ? {} : { stdin });

describe('kiln ci-server', () => {
  it('adds a Jenkins server with the token from a file, lists it without the token, replaces the token from stdin, removes it', async () => {
    const add = await kiln(['ci-server', 'add', 'ci', '--jenkins-url', 'https://jenkins.example.com/', '--user', 'kiln', '--token-file', tokenFile]);
    expect(add.code, add.err).toBe(EXIT.ok);
    expect(add.out).toMatch(/^Added CI server ci \(https:\/\/jenkins\.example\.com, user kiln; token set on \d{4}-\d\d-\d\d by ana\)\.\n$/);
    expect(await repos.ciServers.token('ci')).toBe(SECRET);
    const list = await kiln(['ci-server', 'list']);
    expect(list.out).toMatch(/ci\s+jenkins\s+https:\/\/jenkins\.example\.com\s+kiln\s+set on/);
    const asJson = await kiln(['ci-server', 'list', '--json']);
    expect(asJson.out).not.toContain('never-shown');
    expect((await kiln(['ci-server', 'set', 'ci', '--token-file', '-'], {}, 'from-stdin-token\n')).code).toBe(EXIT.ok);
    expect(await repos.ciServers.token('ci')).toBe('from-stdin-token');
    expect((await kiln(['ci-server', 'set', 'ci', '--user', 'deployer'])).out).toContain('user deployer');
    expect(await kiln(['ci-server', 'remove', 'ci'])).toMatchObject({ code: EXIT.ok, out: 'Removed CI server ci.\n' });
  });

  it('takes the token from $KILN_CI_TOKEN, and refuses to go without one (never as an argument)', async () => {
    expect((await kiln(['ci-server', 'add', 'ci2', '--jenkins-url', 'https://j.example.com', '--user', 'u'], { KILN_CI_TOKEN: 'env-token' })).code).toBe(EXIT.ok);
    expect(await repos.ciServers.token('ci2')).toBe('env-token');
    const none = await kiln(['ci-server', 'add', 'ci3', '--jenkins-url', 'https://j.example.com', '--user', 'u']);
    expect(none).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('a token is required') });
    expect(await kiln(['ci-server', 'add', 'ci3', '--user', 'u'], { KILN_CI_TOKEN: 't' })).toMatchObject({
      code: EXIT.usage,
      err: expect.stringContaining('--jenkins-url is required'),
    });
  });
});
