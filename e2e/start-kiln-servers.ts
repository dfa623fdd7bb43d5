import { spawn } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kilnUrl, kilnWebServer, SERVERS } from './kiln-servers';

// `npm test` starts the journeys' Kiln servers while the PostgreSQL pass runs, with the very commands
// the Playwright config would run, so their first start and the demo's first release are over when
// the journeys begin; Playwright then reuses them (KILN_E2E_REUSE=1). Writes their process groups to
// DIR/kiln-servers.pids (for npm test to stop them) and their output to DIR/kiln-server-N.log, and
// returns once each answers, so Playwright never finds one still starting and starts it again.
//   npx tsx e2e/start-kiln-servers.ts DIR
const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: start-kiln-servers DIR\n');
  process.exit(2);
}
const servers = Array.from({ length: SERVERS }, (_, server) => {
  const out = openSync(join(dir, `kiln-server-${server + 1}.log`), 'w');
  // Its own process group, so SIGTERM to the group reaches Kiln through sh and npx.
  const child = spawn('sh', ['-c', kilnWebServer(server, '.').command], { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  return { server, child };
});
writeFileSync(join(dir, 'kiln-servers.pids'), `${servers.map((s) => s.child.pid).join(' ')}\n`);

const deadline = Date.now() + 120_000;
for (const { server, child } of servers) {
  const health = `${kilnUrl(server)}/api/health`;
  while (
    !(await fetch(health).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      process.stderr.write(`The journeys' Kiln ${health} did not start: see ${join(dir, `kiln-server-${server + 1}.log`)}\n`);
      process.exit(1);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
