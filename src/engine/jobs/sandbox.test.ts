import { createServer, type Server } from 'node:http';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Execution } from '../../shared/domain/execution';
import { useEngineTest, MANUAL } from '../test-engine';
import type { Engine } from '../index';
import { createJobSandbox, DEMO_DIR, KILN_ROOT } from './sandbox';

const t = useEngineTest();
const engines: Engine[] = [];
const cleanup: string[] = [];
let server: Server | undefined;
afterEach(async () => {
  for (const e of engines.splice(0)) {
    await e.killJobs();
    await e.stop();
  }
  server?.close();
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function until(id: string): Promise<Execution> {
  const end = Date.now() + 20_000;
  for (;;) {
    const e = (await t.repos.executions.get(id))!;
    if (['SUCCEEDED', 'TERMINAL'].includes(e.status)) return e;
    if (Date.now() > end) throw new Error(`execution stayed ${e.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Each probe prints `name yes|no`: whether the shell command succeeded inside the job. */
const probes = (checks: Record<string, string>) =>
  [
    'probe() { if sh -c "$2" >/dev/null 2>&1; then echo "$1 yes"; else echo "$1 no"; fi; }',
    ...Object.entries(checks).map(([name, cmd]) => `probe ${name} '${cmd.replace(/'/g, `'\\''`)}'`),
  ].join('\n');

async function runJob(engine: Engine, command: string): Promise<{ execution: Execution; lines: string[] }> {
  const pipeline = await t.pipeline([{ refId: 'job', type: 'runJob', name: 'Job', config: { command, timeoutSec: 60 } }]);
  const { id } = await engine.start(pipeline, MANUAL);
  const execution = await until(id);
  return { execution, lines: (await t.repos.executionLogs.read(id, { after: 0, limit: 200 })).map((l) => l.line) };
}

function world() {
  const base = mkdtempSync(join(tmpdir(), 'kiln-sandbox-test-'));
  cleanup.push(base);
  // World-readable on purpose: only the sandbox, not file modes, keeps these from a job.
  const data = join(base, 'data');
  mkdirSync(join(data, 'pglite'), { recursive: true });
  mkdirSync(join(data, 'cloud'), { recursive: true });
  writeFileSync(join(data, 'pglite', 'PG_VERSION'), '17\n', { mode: 0o644 });
  writeFileSync(join(data, 'cloud', 'state.json'), '{"secret":true}\n', { mode: 0o644 });
  chmodSync(base, 0o755);
  const jobsRoot = join(base, 'jobs');
  const other = join(jobsRoot, 'other-execution', 'job');
  mkdirSync(other, { recursive: true });
  writeFileSync(join(other, 'artifact.txt'), 'another job\n', { mode: 0o666 });
  const hostTmp = join(tmpdir(), `kiln-host-tmp-${process.pid}`);
  writeFileSync(hostTmp, 'host\n', { mode: 0o644 });
  cleanup.push(hostTmp);
  const engine = t.engine({ jobsRoot, jobSandbox: { mode: 'on', hide: [data] } });
  engines.push(engine);
  return { data, other, hostTmp, engine, jobsRoot };
}

describe('a job in the sandbox', { timeout: 40_000 }, () => {
  it("cannot read or change the host's secrets, Kiln's data and files, or other jobs' directories", async () => {
    const w = world();
    const { execution, lines } = await runJob(
      w.engine,
      probes({
        'read-shadow': 'cat /etc/shadow',
        'read-pglite': `cat ${w.data}/pglite/PG_VERSION`,
        'read-cloud-state': `cat ${w.data}/cloud/state.json`,
        'list-data': `ls ${w.data} | grep -q pglite`,
        'read-kiln-source': `cat ${KILN_ROOT}/package.json`,
        'read-kiln-config': `cat ${KILN_ROOT}/src/server/config.ts`,
        'read-other-job': `cat ${w.other}/artifact.txt`,
        'write-other-job': `echo x > ${w.other}/artifact.txt`,
        'write-etc': 'echo x > /etc/kiln-was-here',
        'write-usr': 'touch /usr/bin/kiln-was-here',
        'root-home': 'test -n "$(ls -A /root)"',
        'see-host-tmp': `cat ${w.hostTmp}`,
        // Kiln's own process id means nothing in the job's PID namespace.
        'see-kiln-process': `test -d /proc/${process.pid}`,
        'is-root': 'test "$(id -u)" = 0',
      }),
    );
    expect(execution.status).toBe('SUCCEEDED');
    expect(lines).toEqual([
      'read-shadow no',
      'read-pglite no',
      'read-cloud-state no',
      'list-data no',
      'read-kiln-source no',
      'read-kiln-config no',
      'read-other-job no',
      'write-other-job no',
      'write-etc no',
      'write-usr no',
      'root-home no',
      'see-host-tmp no',
      'see-kiln-process no',
      'is-root no',
    ]);
    expect(readFileSync(join(w.other, 'artifact.txt'), 'utf8')).toBe('another job\n');
    expect(existsSync('/etc/kiln-was-here')).toBe(false);
  });

  it('can do what real jobs do: write its own directory and private /tmp, run node, call a loopback service, read the demo scripts', async () => {
    const w = world();
    server = createServer((_req, res) => res.end('staging says hi'));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const { execution, lines } = await runJob(
      w.engine,
      [
        'echo built > result.txt && cat result.txt',
        'echo scratch > /tmp/scratch && cat /tmp/scratch',
        `node -e "fetch('http://127.0.0.1:${port}/').then((r) => r.text()).then(console.log)"`,
        `test -r ${DEMO_DIR}/smoke-test.mjs && echo demo readable`,
        'ls /proc | grep -c "^[0-9]"',
      ].join('\n'),
    );
    expect(execution.status).toBe('SUCCEEDED');
    expect(lines.slice(0, 4)).toEqual(['built', 'scratch', 'staging says hi', 'demo readable']);
    // Its own PID namespace: the sandbox's init, the shell, ls and grep, not the host's hundreds.
    expect(Number(lines[4])).toBeLessThan(10);
    expect(readFileSync(join(w.jobsRoot, execution.id, 'job', 'result.txt'), 'utf8')).toBe('built\n');
    // The job's /tmp was its own.
    expect(existsSync('/tmp/scratch') && readFileSync('/tmp/scratch', 'utf8') === 'scratch\n').toBe(false);
  });
});

describe('when no sandbox can start', () => {
  it('refuses jobs on a machine without bubblewrap, saying how to install it or allow unsandboxed jobs', () => {
    const sandbox = createJobSandbox({ mode: 'on', bwrap: '/nonexistent/bwrap' });
    expect(sandbox.unavailable()).toMatch(/^jobs run in a sandbox and bubblewrap \(bwrap\) is not installed; run 'bash src\/tools\/ensure-sandbox-tools.sh'.*KILN_JOB_SANDBOX=off/);
  });

  it('refuses jobs where bubblewrap cannot start a sandbox (no user namespaces)', () => {
    // A bwrap that fails as it does when the kernel refuses it a user namespace.
    const sandbox = createJobSandbox({ mode: 'on', bwrap: '/bin/false' });
    expect(sandbox.unavailable()).toMatch(/^jobs run in a sandbox and bubblewrap cannot start one on this machine .*KILN_JOB_SANDBOX=off/);
  });

  it("fails the stage with that message and runs nothing, instead of running the job with Kiln's rights", async () => {
    const w = world();
    const marker = join(w.jobsRoot, 'ran');
    const engine = t.engine({ jobsRoot: w.jobsRoot, jobSandbox: { mode: 'on', bwrap: '/nonexistent/bwrap' } });
    engines.push(engine);
    const { execution } = await runJob(engine, `touch ${marker}`);
    expect(execution.stages[0]).toMatchObject({ status: 'TERMINAL', error: expect.stringMatching(/^jobs run in a sandbox and bubblewrap \(bwrap\) is not installed/) });
    expect(existsSync(marker)).toBe(false);
  });

  it('runs jobs unsandboxed only when told to (KILN_JOB_SANDBOX=off)', async () => {
    const w = world();
    const engine = t.engine({ jobsRoot: w.jobsRoot, jobSandbox: { mode: 'off', bwrap: '/nonexistent/bwrap' } });
    engines.push(engine);
    const { execution, lines } = await runJob(engine, `cat ${w.data}/pglite/PG_VERSION`);
    expect(execution.status).toBe('SUCCEEDED');
    expect(lines).toEqual(['17']);
  });
});
