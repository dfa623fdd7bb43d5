import { expect, it } from 'vitest';
import type { RunResources } from '../../../shared/domain/image';
import { createHealthy, get, keyOf, until } from './contract-helpers';
import type { ContractContext } from './provider-contract';

/** The image name of the sample app that answers health only on /ready (see images/sample-app.mjs). */
export const RUN_SETTINGS_IMAGE = 'sample-app-ready';

/** What the harnesses' `runSettingsImage` says in its `run`, as a recipe would. */
export const RUN_SETTINGS: { healthPath: string; resources: Required<RunResources> } = { healthPath: '/ready', resources: { cpu: 1, memoryMiB: 192 } };

/** An image runs the way its recipe's `run` says: health asked on its own path, with the CPU and memory it asked for. */
export function runSettingsContract(ctx: ContractContext): void {
  it("asks an image's own health path: an app answering only /ready becomes healthy behind a /health balancer and serves; it runs with the resources its image asks for", async () => {
    const h = ctx.harness();
    const { provider, application, account, region } = h;
    const lb = await provider.ensureLoadBalancer({ application, account, region, name: `${application}-ready` });
    expect(lb.healthCheckPath).toBe('/health');
    const name = ctx.groupName('ready');
    const sg = await createHealthy(ctx, provider, name, { image: h.runSettingsImage, loadBalancers: [lb.name], capacity: { min: 1, desired: 1, max: 2 } });
    // The app really does 404 the balancer's path: healthy only because its own path was asked.
    for (const i of sg.instances) {
      expect((await get(i.address, '/health')).status).toBe(404);
      expect((await get(i.address, RUN_SETTINGS.healthPath)).status).toBe(200);
    }
    await provider.enableServerGroup(keyOf(ctx, name));
    await until('the instance up', async () => (await provider.getServerGroup(keyOf(ctx, name)))?.instances.every((i) => i.health === 'up'));
    await until('an answer through the balancer', async () => (await get(lb.address, '/')).status === 200, 30_000);

    for (const i of sg.instances) {
      const limits = await h.limitsOf(i.id);
      // A provider that cannot hold an instance to them says so in the instance's log instead.
      const said = limits ?? /run\.resources \(1 CPU, 192 MiB\) are not enforced/.exec((await provider.instanceLog(i.id, 64_000)) ?? '')?.[0];
      expect(said).toEqual(limits ? RUN_SETTINGS.resources : 'run.resources (1 CPU, 192 MiB) are not enforced');
    }
  });
}
