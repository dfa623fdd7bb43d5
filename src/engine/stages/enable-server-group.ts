import type { z } from 'zod';
import type { enableServerGroupStage } from '../../shared/stages/enable-server-group';
import { done, serverGroupOperation } from './server-group-op';

export const enableServerGroupHandler = serverGroupOperation<z.output<typeof enableServerGroupStage.config>>('enabling a server group', async (provider, key) => {
  await provider.enableServerGroup(key);
  return done(key.name);
});
