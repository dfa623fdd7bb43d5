import type { LocalCloud } from '../local';
import { openTestCloud } from '../test-cloud';
import { describeProviderContract } from './provider-contract';

// The local cloud keeps the contract every provider keeps; a restart is a hand-over to a new
// LocalCloud on the same database and data directory, and closing proves no process outlived it.
describeProviderContract('local cloud', async () => {
  const t = await openTestCloud();
  const clouds: LocalCloud[] = [];
  return {
    provider: t.cloud,
    account: 'prod',
    region: 'east',
    application: 'web',
    image: 'sample-app:v1',
    async restart() {
      const old = clouds.at(-1) ?? t.cloud;
      t.track(old);
      await old.detach();
      const next = t.make();
      clouds.push(next);
      await next.start();
      return next;
    },
    async close() {
      for (const c of clouds) t.track(c);
      t.track();
      const left = await t.close(...clouds);
      if (left.length > 0) throw new Error(`instance or balancer processes left running: ${left.join(', ')}`);
    },
  };
});
