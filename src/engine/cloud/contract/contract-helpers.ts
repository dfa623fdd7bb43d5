import { request } from 'node:http';
import type { Instance } from '../../../shared/domain/instance';
import type { ServerGroup } from '../../../shared/domain/server-group';
import type { CloudProvider, NewServerGroup, ServerGroupKey } from '../provider';
import { until } from '../test-cloud';
import type { ContractContext } from './provider-contract';

export { until };

export interface Answer {
  status: number;
  body: string;
  version: string | undefined;
  /** The `x-kiln-instance` header: which instance answered. */
  instance: string | undefined;
}

/** One plain HTTP GET with a timeout; a refused connection is an answer with status 0, not a throw. */
export function get(address: string, path = '/', timeoutMs = 5000): Promise<Answer> {
  const [host, port] = splitAddress(address);
  return new Promise((resolve) => {
    const req = request({ host, port, path, method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, version: header(res.headers['x-app-version']), instance: header(res.headers['x-kiln-instance']) }));
      res.on('error', () => resolve({ status: 0, body, version: undefined, instance: undefined }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ status: 0, body: err.message, version: undefined, instance: undefined }));
    req.end();
  });
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at).replace(/^\[|\]$/g, ''), Number(address.slice(at + 1))];
}

export const keyOf = (ctx: ContractContext, name: string): ServerGroupKey => ({ account: ctx.harness().account, region: ctx.harness().region, name });

/** Creates a group of the harness's image and waits until `desired` instances pass their health check. */
export async function createHealthy(ctx: ContractContext, provider: CloudProvider, name: string, extra: Partial<NewServerGroup> = {}): Promise<ServerGroup> {
  const h = ctx.harness();
  const spec: NewServerGroup = {
    application: h.application,
    account: h.account,
    region: h.region,
    name,
    image: h.image,
    capacity: { min: 1, desired: 2, max: 4 },
    loadBalancers: [],
    disabled: true,
    ...extra,
  };
  await provider.createServerGroup(spec);
  return healthy(provider, keyOf(ctx, name), spec.capacity.desired);
}

/** Instances a client can use: `up` in traffic, `out_of_service` when healthy but disabled. */
export const serving = (i: Instance) => i.health === 'up' || i.health === 'out_of_service';

export function healthy(provider: CloudProvider, key: ServerGroupKey, count: number): Promise<ServerGroup> {
  return until(
    `${count} healthy instances of ${key.name}`,
    async () => {
      const g = await provider.getServerGroup(key);
      return g && g.instances.length === count && g.instances.every(serving) && g;
    },
    45_000,
  );
}

/** Requests in a loop until stopped: how many answered, how many failed (status 0 or ≥ 500), by version. */
export function steadyRequests(address: string, path = '/') {
  const counts = { ok: 0, failed: 0, failures: [] as string[] };
  let running = true;
  const loop = (async () => {
    while (running) {
      const a = await get(address, path);
      if (a.status > 0 && a.status < 500) counts.ok += 1;
      else {
        counts.failed += 1;
        if (counts.failures.length < 5) counts.failures.push(`${a.status} ${a.body.slice(0, 120)}`);
      }
    }
  })();
  return {
    counts,
    async stop() {
      running = false;
      await loop;
      return counts;
    },
  };
}

/**
 * steadyRequests paced by answers, not the clock: it resolves once `pace` requests were answered, and
 * `settle` waits for `pace` more before it stops the load. A loaded machine (a VM under TCG, a busy
 * CI) can end an action before a fixed window saw any answer, which said nothing about the action.
 */
export async function pacedRequests(address: string, pace: number) {
  const load = steadyRequests(address);
  const answered = () => load.counts.ok + load.counts.failed;
  await until('requests answered before the action', async () => answered() >= pace);
  return {
    settle: async () => {
      const at = answered();
      await until('requests answered after the action', async () => answered() >= at + pace);
      return load.stop();
    },
  };
}
