import type { z } from 'zod';
import type { imageChannelStage } from '../../shared/stages/image-channel';
import { defineHandler } from './handler';

type Config = z.output<typeof imageChannelStage.config>;

export const imageChannelHandler = defineHandler<Config>({
  async step({ config, resolve, execution, repos, services }) {
    const image = String(resolve(config.image));
    const m = /^([a-z0-9][a-z0-9._-]*):(v[1-9][0-9]*)$/.exec(image);
    if (!m) return { status: 'FAILED', error: `image '${image}' is not name:vN (like storefront:v3)` };
    const [, name, version] = m as unknown as [string, string, string];
    // Channels are the admins' (the API's rule): a pipeline editor must not move production by adding this stage.
    const me = await repos.users.me(execution.trigger.user);
    if (!me?.user.admin || me.user.disabled) {
      return { status: 'FAILED', error: `${execution.trigger.user} is not an admin, and only admins move image channels; this run acts for ${execution.trigger.user}.` };
    }
    const before = (await repos.images.detail(name))?.versions.find((v) => v.channels.includes(config.channel))?.version;
    try {
      await repos.images.assignChannel(name, config.channel, version, execution.trigger.user);
    } catch (err) {
      return { status: 'FAILED', error: err instanceof Error ? err.message : String(err) };
    }
    await services.log([`${name}@${config.channel} → ${version}${before ? ` (was ${before})` : ''}`]);
    return { status: 'SUCCEEDED', outputs: { image, channel: config.channel, ...(before ? { previous: `${name}:${before}` } : {}) } };
  },
});
