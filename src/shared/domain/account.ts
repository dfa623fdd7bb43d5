import { z } from 'zod';
import { AccountName, RegionName } from './ids';

/** Where server groups run: `local` is Kiln's own cloud on this machine; others are adapters to come. */
export const CloudProvider = z.enum(['local', 'aws', 'gce', 'kubernetes']);
export type CloudProvider = z.infer<typeof CloudProvider>;

export const Account = z.object({
  name: AccountName,
  provider: CloudProvider,
  environment: z.enum(['prod', 'staging', 'test', 'dev']),
  regions: z.array(RegionName).min(1),
  demo: z.boolean(),
});
export type Account = z.infer<typeof Account>;
