import { builtInImages, type ImageCatalog } from '../images';
import type { LocalCloud } from '../local';
import { openTestCloud } from '../test-cloud';
import { describeProviderContract } from './provider-contract';
import { RUN_SETTINGS, RUN_SETTINGS_IMAGE } from './run-settings-contract';

/** The built-in images, and the sample app as RUN_SETTINGS_IMAGE with a recipe's run settings (a baked bundle's, as the registry catalogue gives them). */
const images: ImageCatalog = {
  resolve(ref, field) {
    if (!ref.startsWith(`${RUN_SETTINGS_IMAGE}:`)) return builtInImages.resolve(ref, field);
    const sample = builtInImages.resolve(`sample-app${ref.slice(RUN_SETTINGS_IMAGE.length)}`, field);
    return { ...sample, ref: { ...sample.ref, name: RUN_SETTINGS_IMAGE }, ...RUN_SETTINGS };
  },
  names: () => [...builtInImages.names(), RUN_SETTINGS_IMAGE],
};

// The local cloud keeps the contract every provider keeps; a restart is a hand-over to a new
// LocalCloud on the same database and data directory, and closing proves no process outlived it.
describeProviderContract('local cloud', async () => {
  const t = await openTestCloud({ images });
  const clouds: LocalCloud[] = [];
  return {
    provider: t.cloud,
    account: 'prod',
    region: 'east',
    application: 'web',
    image: 'sample-app:v1',
    runSettingsImage: `${RUN_SETTINGS_IMAGE}:v1`,
    // Instances are plain processes: nothing holds them to a share (their log says so).
    limitsOf: async () => undefined,
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
