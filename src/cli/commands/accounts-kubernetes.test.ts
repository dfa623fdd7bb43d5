import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Repositories } from '../../db/types';
import { openTestApp } from '../../server/test-app';
import { type FakeApiServer, startFakeApiServer } from '../../engine/cloud/kubernetes/fake-api-server';
import { testKubeConfigText } from '../../engine/cloud/kubernetes/test-images';
import { runKiln } from '../test-cli';
import { EXIT } from '../io';

let app: FastifyInstance;
let close: () => Promise<void>;
let url: string;
let token: string;
let repos: Repositories;
let api: FakeApiServer;
const home = mkdtempSync(join(tmpdir(), 'kiln-cli-k8s-'));
const kubeconfig = join(home, 'config');
const registryPasswordFile = join(home, 'registry-password');
const prometheusTokenFile = join(home, 'prometheus-token');

beforeAll(async () => {
  ({ app, close, token, repos } = await openTestApp());
  writeFileSync(registryPasswordFile, 'cli-registry-pw\n');
  writeFileSync(prometheusTokenFile, 'cli-prom-token-99\n');
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  api = await startFakeApiServer({ images: {}, tokens: { 'cli-token-0123456789': { name: 'kiln', namespaces: '*' } } });
  writeFileSync(kubeconfig, testKubeConfigText(api.url, 'cli-token-0123456789'));
}, 60_000);
afterAll(async () => {
  await api.close();
  await close();
});

const kiln = (args: string[]) => runKiln(args, { HOME: home, KILN_URL: url, KILN_TOKEN: token });

describe('kiln account add --provider kubernetes', () => {
  it('sets the Prometheus canary analysis reads, its token sent from a file and never shown', async () => {
    const add = await kiln([
      'account',
      'add',
      'prom-k8s',
      '--provider',
      'kubernetes',
      '--kubeconfig',
      kubeconfig,
      '--namespaces',
      'east',
      '--prometheus',
      'http://prometheus.monitoring:9090',
      '--prometheus-token-file',
      prometheusTokenFile,
    ]);
    expect(add.code, add.err).toBe(EXIT.ok);
    const asJson = JSON.parse((await kiln(['account', 'get', 'prom-k8s', '--json'])).out);
    expect(asJson.metrics).toMatchObject({ prometheus: { url: 'http://prometheus.monitoring:9090', token: { setBy: expect.any(String) } } });
    expect(JSON.stringify(asJson)).not.toContain('cli-prom-token-99');
    expect((await repos.accounts.credentials('prom-k8s'))?.prometheusToken).toBe('cli-prom-token-99');
  });

  it('sends the kubeconfig file write-only, with its context, namespaces and registry, and shows the cluster healthy', async () => {
    const add = await kiln([
      'account',
      'add',
      'prod-k8s',
      '--provider',
      'kubernetes',
      '--kubeconfig',
      kubeconfig,
      '--context',
      'fake',
      '--namespaces',
      'east,west',
      '--registry',
      'registry.example.com/team',
      '--registry-user',
      'robot',
      '--registry-password-file',
      registryPasswordFile,
    ]);
    expect(add).toMatchObject({ code: EXIT.ok, out: 'Added kubernetes account prod-k8s (other; regions east, west).\n' });
    const get = await kiln(['account', 'get', 'prod-k8s']);
    expect(get.out).toContain('Health:       reachable, engine Kubernetes v1.31.0-kiln-fake');
    expect(get.out).not.toContain('cli-token-0123456789');
    const asJson = JSON.parse((await kiln(['account', 'get', 'prod-k8s', '--json'])).out);
    expect(asJson).toMatchObject({ endpoint: { context: 'fake', registry: 'registry.example.com/team' }, credentials: { setBy: expect.any(String) } });
    expect(JSON.stringify(asJson)).not.toContain('cli-registry-pw');
    expect(await repos.accounts.credentials('prod-k8s')).toMatchObject({ registryUsername: 'robot', registryPassword: 'cli-registry-pw' });
    expect(await kiln(['account', 'add', 'k2', '--provider', 'kubernetes', '--namespaces', 'east', '--registry-user', 'robot'])).toMatchObject({
      code: EXIT.usage,
      err: expect.stringContaining('--registry-user and --registry-password-file go together'),
    });
  });

  it('exits 2 without namespaces, and 1 with the server’s reason for a kubeconfig file it cannot read', async () => {
    expect(await kiln(['account', 'add', 'k', '--provider', 'kubernetes', '--kubeconfig', kubeconfig])).toMatchObject({
      code: EXIT.usage,
      err: expect.stringContaining('--namespaces is required'),
    });
    expect(await kiln(['account', 'add', 'k', '--provider', 'kubernetes', '--namespaces', 'east', '--kubeconfig', join(home, 'missing')])).toMatchObject({
      code: EXIT.usage,
      err: expect.stringContaining('--kubeconfig: cannot read'),
    });
  });
});
