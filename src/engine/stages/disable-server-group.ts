import type { z } from 'zod';
import type { disableServerGroupStage } from '../../shared/stages/disable-server-group';
import { done, serverGroupOperation } from './server-group-op';

export const disableServerGroupHandler = serverGroupOperation<z.output<typeof disableServerGroupStage.config>>(
  'disabling a server group',
  async (provider, key) => {
    await provider.disableServerGroup(key);
    return done(key.name);
  },
  'disable',
);
