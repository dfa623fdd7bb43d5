// What one guest connection to the metadata service costs the host: QEMU's guestfwd `cmd:` starts a
// relay process per connection (metadata-pipe.ts). For socat and for the Node fallback, it starts the
// relay as QEMU does (argv, the connection on stdin/stdout), sends a goal-state request and reports
// the milliseconds until the whole answer is back and the relay's peak RSS; one at a time, then
// CONCURRENT at once (a few VMs booting together). Also prints the machine's load average.
//   npx tsx src/engine/cloud/bench/metadata-relay.ts [connections] [concurrent]   (default 20, 8)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetadataService } from '../metadata-service';
import { findSocat, type GuestPipe, guestPipe, metadataSocket } from '../qemu/metadata-pipe';

const N = Number(process.argv[2]) || 20;
const CONCURRENT = Number(process.argv[3]) || 8;

const peakRssMiB = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** One connection: ms until the response's body is complete (Content-Length or the last chunk), and the relay's peak RSS then. */
function connection(pipe: GuestPipe, request: string): Promise<{ ms: number; rssMiB: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const [file, ...args] = pipe.argv;
    const child = spawn(file!, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    let got = '';
    let done = false;
    child.stdout.on('data', (chunk: Buffer) => {
      got += chunk.toString();
      const end = got.indexOf('\r\n\r\n');
      if (done || end < 0) return;
      const length = /content-length:\s*(\d+)/i.exec(got.slice(0, end))?.[1];
      if (length ? got.length - end - 4 < Number(length) : !got.endsWith('\r\n0\r\n\r\n')) return;
      done = true;
      const ms = performance.now() - started;
      // Still connected (keep-alive): the relay is alive and its high-water mark is what it cost.
      const rssMiB = peakRssMiB(child.pid!);
      child.stdin.end();
      child.kill();
      resolve({ ms, rssMiB });
    });
    child.on('error', reject);
    child.on('close', () => done || reject(new Error(`the relay exited before answering: ${got.slice(0, 200)}`)));
    child.stdin.write(request);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? 0;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

const dir = mkdtempSync(join(tmpdir(), 'kiln-relay-bench-'));
const service = createMetadataService(() => {});
try {
  await service.start({ socketPath: metadataSocket(dir) });
  const path = new URL(service.register({ instanceId: 'i-bench', hostname: 'bench', serverGroup: 'bench-v001', account: 'vms', region: 'east', userData: '' })).pathname;
  const request = `GET ${path}/goalstate HTTP/1.1\r\nHost: 10.0.2.100\r\nMetadata: true\r\n\r\n`;
  const socat = findSocat();
  const relays: Array<[string, GuestPipe]> = [['node', guestPipe(dir, { socket: metadataSocket(dir) }, null)]];
  if (socat) relays.unshift(['socat', guestPipe(dir, { socket: metadataSocket(dir) }, socat)]);
  else console.log('socat is not installed: only the Node fallback is measured (src/tools/ensure-qemu.sh installs socat)');
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${readFileSync('/proc/cpuinfo', 'utf8').split('processor\t:').length - 1} cores`,
  );
  for (const [name, pipe] of relays) {
    await connection(pipe, request); // warm the page cache
    const one: Array<{ ms: number; rssMiB: number }> = [];
    for (let i = 0; i < N; i += 1) one.push(await connection(pipe, request));
    const together = await Promise.all(Array.from({ length: CONCURRENT }, () => connection(pipe, request)));
    const ms = one.map((r) => r.ms);
    const rss = mean(one.map((r) => r.rssMiB));
    console.log(
      `${name.padEnd(5)} relay: one at a time median ${median(ms).toFixed(1)} ms, p95 ${p95(ms).toFixed(1)} ms; ${CONCURRENT} at once slowest ${Math.max(...together.map((r) => r.ms)).toFixed(0)} ms; peak RSS ${rss.toFixed(1)} MiB per connection`,
    );
    const chosen = name === (socat ? 'socat' : 'node');
    const figure = (id: string, label: string, value: number, unit: string, goal?: { max: number }) =>
      console.log(`BENCH-JSON ${JSON.stringify({ id, label, value: Number(value.toFixed(1)), unit, better: 'lower', ...(goal && chosen ? { goal } : {}) })}`);
    figure(`vm.metadata-relay.${name}.ms`, `Guest metadata connection through ${name}: answer (median)`, median(ms), 'ms', { max: 50 });
    figure(`vm.metadata-relay.${name}.concurrent-ms`, `${CONCURRENT} guest metadata connections at once through ${name}: slowest`, Math.max(...together.map((r) => r.ms)), 'ms');
    figure(`vm.metadata-relay.${name}.rss`, `Guest metadata connection through ${name}: peak RSS`, rss, 'MiB', { max: 10 });
  }
} finally {
  await service.stop();
  rmSync(dir, { recursive: true, force: true });
}
