import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetadataService, type MetadataService } from '../metadata-service';
import { findSocat, type GuestPipe, guestPipe, metadataSocket } from './metadata-pipe';

/**
 * The relay QEMU runs per guest connection, run here as QEMU does (its guestfwd command, split with
 * shell quoting, the connection on stdin and stdout) against Kiln's real metadata service: one
 * guest connection's requests, from identity to the Ready report, without booting a VM.
 */
let dir: string;
let service: MetadataService;
let ready: string[];
let path: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-pipe-'));
  ready = [];
  service = createMetadataService((id) => ready.push(id));
  await service.start({ socketPath: metadataSocket(dir) });
  const url = service.register({ instanceId: 'i-0a1b2c3d', hostname: 'web-7', serverGroup: 'web-vm-v001', account: 'vms', region: 'east', userData: '#cloud-config\n' });
  path = new URL(url).pathname;
});
afterEach(async () => {
  await service.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** One guest connection through the relay: sends `request`, returns what came back once the relay exited, and which program ran. */
function throughRelay(pipe: GuestPipe, request: string): Promise<{ response: string; program: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `exec ${pipe.command}`], { stdio: ['pipe', 'pipe', 'inherit'] });
    let response = '';
    let program = '';
    child.stdout.on('data', (chunk: Buffer) => {
      response += chunk.toString();
      // While the connection is open, the relay is the process QEMU would be running.
      program ||= commOf(child.pid!);
    });
    child.on('error', reject);
    child.on('close', () => resolve({ response, program }));
    child.stdin.write(request);
  });
}
const commOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return 'gone';
  }
};

const goalState = () => `GET ${path}/goalstate HTTP/1.1\r\nHost: 10.0.2.100\r\nMetadata: true\r\nConnection: close\r\n\r\n`;
const reportReady = () => {
  const body = JSON.stringify({ containerId: 'web-vm-v001', instanceId: 'i-0a1b2c3d', incarnation: 1, state: 'Ready' });
  return `POST ${path}/health HTTP/1.1\r\nHost: 10.0.2.100\r\nMetadata: true\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
};

describe('the guest metadata relay', () => {
  it.skipIf(!findSocat())('is socat, not a Node process, where socat is installed, and serves a guest its identity and its Ready report', async () => {
    const pipe = guestPipe(dir, { socket: metadataSocket(dir) });
    expect(pipe.via).toBe('socat');
    const identity = await throughRelay(pipe, goalState());
    expect(identity.program).toBe('socat');
    expect(identity.response).toMatch(/^HTTP\/1\.1 200/);
    expect(identity.response).toContain('"instanceId":"i-0a1b2c3d"');
    const report = await throughRelay(pipe, reportReady());
    expect(report.response).toMatch(/^HTTP\/1\.1 200/);
    expect(ready).toEqual(['i-0a1b2c3d']);
  });

  it('falls back to the Node relay on a host without socat, serving the same requests', async () => {
    const pipe = guestPipe(dir, { socket: metadataSocket(dir) }, null);
    expect(pipe.via).toBe('node');
    const identity = await throughRelay(pipe, goalState());
    expect(identity.program).toBe('node');
    expect(identity.response).toContain('"instanceId":"i-0a1b2c3d"');
    await throughRelay(pipe, reportReady());
    expect(ready).toEqual(['i-0a1b2c3d']);
  });

  it('takes the Node relay for a socket path socat would misread (a comma or colon in KILN_DATA), and still reaches it', async () => {
    const odd = join(dir, 'a,b:c');
    mkdirSync(odd);
    await service.stop();
    await service.start({ socketPath: metadataSocket(odd) });
    const pipe = guestPipe(odd, { socket: metadataSocket(odd) }, findSocat() ?? '/usr/bin/socat');
    expect(pipe.via).toBe('node');
    expect((await throughRelay(pipe, goalState())).response).toContain('"instanceId":"i-0a1b2c3d"');
  });

  it.skipIf(!findSocat())("relays to a loopback port for the bakery's boot check", async () => {
    await service.stop();
    ready = [];
    service = createMetadataService((id) => ready.push(id));
    await service.start();
    const url = new URL(service.register({ instanceId: 'i-0a1b2c3d', hostname: 'web-7', serverGroup: 'web-vm-v001', account: 'vms', region: 'east', userData: '' }));
    path = url.pathname;
    const pipe = guestPipe(dir, { port: Number(url.port) });
    expect(pipe.via).toBe('socat');
    await throughRelay(pipe, reportReady());
    expect(ready).toEqual(['i-0a1b2c3d']);
  });
});
