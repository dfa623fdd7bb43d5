import type { z } from 'zod';
import type { destroyServerGroupStage } from '../../shared/stages/destroy-server-group';
import { done, serverGroupOperation } from './server-group-op';

export const destroyServerGroupHandler = serverGroupOperation<z.output<typeof destroyServerGroupStage.config>>(
  'destroying a server group',
  async (provider, key) => {
    await provider.destroyServerGroup(key);
    return done(key.name);
  },
  'destroy',
);
