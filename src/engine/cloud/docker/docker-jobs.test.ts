import Docker from 'dockerode';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createContainerJobs } from './docker-jobs';

// Podman answers a request on a container removed while the request ran with 500, not 404
// (seen when two steps of one stage removed a job's container at once); an engine that says so here.
let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function engineWhereTheContainerWasJustRemoved(): Promise<Docker> {
  server = createServer((req, res) => {
    const removedMeanwhile = /^\/containers\/c0ffee(\/json)?(\?|$)/.test(req.url ?? '');
    if (!removedMeanwhile) return void res.writeHead(404).end();
    const message = 'container c0ffee does not exist in database: no such container';
    res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ cause: 'no such container', message, response: 500 }));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return new Docker({ host: '127.0.0.1', port: (server!.address() as AddressInfo).port, protocol: 'http' });
}

describe('container jobs on an engine that removed the container meanwhile', () => {
  it('takes Podman\'s 500 "no such container" for a gone container: removing it again is no error, its state is "gone"', async () => {
    const docker = await engineWhereTheContainerWasJustRemoved();
    const jobs = createContainerJobs({ docker, account: 'lab', kilnId: () => 'k', ready: async () => {}, kilnImage: async () => undefined });
    await expect(jobs.remove('c0ffee')).resolves.toBeUndefined();
    await expect(jobs.state('c0ffee', async () => {})).resolves.toBeUndefined();
  });
});
