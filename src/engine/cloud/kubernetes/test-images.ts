import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';

const SAMPLE_APP = join(import.meta.dirname, '..', 'images', 'sample-app.mjs');
/** An app that serves its health on /ready and 404s elsewhere (see probe-app.mjs). */
export const PROBE_APP = join(import.meta.dirname, 'probe-app.mjs');
const dir = join(tmpdir(), 'kiln-fake-k8s-images');
mkdirSync(dir, { recursive: true });
const SAY_DONE = join(dir, 'say-done.mjs');
writeFileSync(SAY_DONE, "process.stdout.write('working\\n'); setTimeout(() => { process.stdout.write('done\\n'); process.exit(0); }, 50);\n");
const FAIL = join(dir, 'fail.mjs');
writeFileSync(FAIL, "process.stdout.write('migration failed: table exists\\n'); process.exit(2);\n");

/** The registry the test account pulls from. */
export const TEST_REGISTRY = 'registry.test';

/** What the fake's nodes can pull: Kiln's sample app, the probe app, a job that succeeds and one that fails; nothing else. */
export const SAMPLE_IMAGES: Record<string, string> = {
  [`${TEST_REGISTRY}/sample-app`]: SAMPLE_APP,
  // The same app, answering health only on /ready (it reads its image's name).
  [`${TEST_REGISTRY}/sample-app-ready`]: SAMPLE_APP,
  [`${TEST_REGISTRY}/probe-app`]: PROBE_APP,
  [`${TEST_REGISTRY}/say-done`]: SAY_DONE,
  [`${TEST_REGISTRY}/fail`]: FAIL,
};

/** A kubeconfig as YAML for the fake at `server`, authenticating with `token`. */
export function testKubeConfigText(server: string, token: string, namespace = 'east'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: fake',
    '  cluster:',
    `    server: ${server}`,
    // The client refuses plain HTTP with a token unless told; the fake speaks HTTP on loopback.
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: kiln',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: fake',
    '  context:',
    '    cluster: fake',
    '    user: kiln',
    `    namespace: ${namespace}`,
    'current-context: fake',
    '',
  ].join('\n');
}

export function testKubeConfig(server: string, token: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(testKubeConfigText(server, token));
  return kc;
}
