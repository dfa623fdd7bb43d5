import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../db/test-database';
import { createOwners, serverGroup } from '../../db/test-builders';
import { resetQuarantine, setQuarantineLog } from '../../db/quarantine';
import { scanStoredRows } from '../../db/scan-rows';
import { freePort } from '../free-port';
import { isAlive } from './instance-process';
import { adoptInstances } from './local-adopt';
import type { Runtime } from './local-runtime';
import type { PortAllocator } from './ports';
import { FAST } from './test-cloud';

let child: ChildProcess | undefined;
afterEach(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  resetQuarantine();
});

/** Plays an instance an earlier Kiln left running: it answers its health check with its id. */
async function instance(id: string, port: number): Promise<ChildProcess> {
  const script = `require('http').createServer((q, s) => s.end(JSON.stringify({ instanceId: '${id}' }))).listen(${port}, '127.0.0.1', () => console.log('up'))`;
  const c = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  await new Promise((ok) => c.stdout!.once('data', ok));
  return c;
}

describe('adopting instances after a restart', { timeout: 30_000 }, () => {
  it('leaves the instances of a quarantined server group running (they may be serving), and forgets none of them', async () => {
    const { repos, db, close } = await openTestDatabase();
    try {
      setQuarantineLog(() => {});
      await createOwners(repos);
      const key = { account: 'prod', region: 'east', name: 'web-prod-v001' };
      await repos.serverGroups.save({ ...serverGroup(key), instances: [], managedBy: 'local' });
      const port = await freePort();
      child = await instance('i-live', port);
      await repos.cloudProcesses.record({ instanceId: 'i-live', account: 'prod', region: 'east', serverGroup: 'web-prod-v001', pid: child.pid!, port, workDir: '/tmp' });
      await db.exec(`update server_groups set user_data = repeat('x', 70000) where name = 'web-prod-v001'`);
      await scanStoredRows(repos);

      const runtime = { groups: new Map() } as unknown as Runtime;
      const lines: string[] = [];
      await adoptInstances({ repos, runtime, ports: { claim: () => {} } as unknown as PortAllocator, timings: FAST, log: (l) => lines.push(l) });
      expect(isAlive(child.pid!)).toBe(true);
      expect((await repos.cloudProcesses.list()).map((p) => p.instanceId)).toEqual(['i-live']);
      expect(lines).toEqual(["left i-live (web-prod-v001) running unmanaged: its server group's row is quarantined"]);
    } finally {
      await close();
    }
  });
});
