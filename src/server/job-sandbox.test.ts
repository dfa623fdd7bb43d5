import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repositories } from '../db/types';
import { KILN_ROOT } from '../engine/jobs/sandbox';
import { hashPassword } from './auth/secrets';
import { createToken } from './auth/sessions';
import { openTestApp } from './test-app';

let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
let token: string;
// Two argon2 hashes and a fresh database: generous on a machine shared with other suites.
vi.setConfig({ hookTimeout: 30_000, testTimeout: 40_000 });

beforeAll(async () => {
  ({ app, repos, close } = await openTestApp({ signedIn: false }));
  // Someone trusted with one application's pipelines and nothing more: what can their job reach?
  await repos.users.saveRole({
    name: 'web-deployers',
    description: '',
    members: [],
    grants: [
      { resourceType: 'application', resource: 'web', permission: 'WRITE' },
      { resourceType: 'application', resource: 'web', permission: 'EXECUTE' },
    ],
  });
  await repos.users.create({ name: 'devon', displayName: 'Devon', passwordHash: await hashPassword('devon-password-long'), admin: false, createdAt: new Date().toISOString() });
  await repos.users.update('devon', { roles: ['web-deployers'] });
  token = (await createToken(repos, 'devon', 'test', new Date())).secret;
});
afterAll(() => close());

const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
  const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: res.json() };
};

const probes = (checks: Record<string, string>) =>
  ['probe() { if sh -c "$2" >/dev/null 2>&1; then echo "$1 yes"; else echo "$1 no"; fi; }', ...Object.entries(checks).map(([name, cmd]) => `probe ${name} '${cmd}'`)].join('\n');

describe('a job written by a user with rights on one application only', () => {
  it('runs unprivileged: no root, no host secrets, no Kiln files or processes, nothing written outside its directory', async () => {
    const command = probes({
      'is-root': 'test "$(id -u)" = 0',
      'read-shadow': 'cat /etc/shadow',
      'read-kiln-source': `cat ${KILN_ROOT}/src/server/config.ts`,
      'see-kiln-process': `test -d /proc/${process.pid}`,
      'write-host': 'touch /etc/devon-was-here || touch /usr/local/devon-was-here',
      'write-own-dir': 'echo ok > mine && test -s mine',
    });
    const saved = await call('POST', '/api/applications/web/pipelines', {
      name: 'Probe',
      stages: [{ refId: 'job', type: 'runJob', name: 'Probe', config: { command, workingDir: '/etc' } }],
    });
    expect(saved.status).toBe(201);
    const run = await call('POST', `/api/pipelines/${saved.body.id}/executions`, {});
    expect(run.status).toBe(201);
    let status = '';
    for (let i = 0; i < 200 && !['SUCCEEDED', 'TERMINAL'].includes(status); i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await call('GET', `/api/executions/${run.body.id}`)).body.status;
    }
    expect(status).toBe('SUCCEEDED');
    const logs = await call('GET', `/api/executions/${run.body.id}/logs?stage=job`);
    expect(logs.body.lines.map((l: { line: string }) => l.line)).toEqual([
      'is-root no',
      'read-shadow no',
      'read-kiln-source no',
      'see-kiln-process no',
      'write-host no',
      'write-own-dir yes',
    ]);
    expect(existsSync('/etc/devon-was-here') || existsSync('/usr/local/devon-was-here')).toBe(false);
  });
});
