import type { z } from 'zod';
import type { findImageStage } from '../../shared/stages/find-image';
import { clusterGroups } from '../cloud/cluster-ops';
import { defineHandler } from './handler';

/** Outputs the image of a cluster's newest, oldest or largest group as `image` (`name:version`). */
export const findImageHandler = defineHandler<z.output<typeof findImageStage.config>>({
  async step({ config, repos, execution }) {
    const groups = (await clusterGroups(repos, { application: execution.application, ...config })).filter((g) => !config.onlyEnabled || !g.disabled);
    const pick =
      config.selection === 'newest' ? groups[0] : config.selection === 'oldest' ? groups.at(-1) : [...groups].sort((a, b) => b.instances.length - a.instances.length)[0];
    if (!pick) {
      return { status: 'FAILED', error: `cluster '${config.cluster}' in ${config.account}/${config.region} has no ${config.onlyEnabled ? 'enabled ' : ''}server group to take an image from` };
    }
    return { status: 'SUCCEEDED', outputs: { image: `${pick.image.name}:${pick.image.version}`, imageName: pick.image.name, imageVersion: pick.image.version, serverGroup: pick.name } };
  },
});
