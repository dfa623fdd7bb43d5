import type { z } from 'zod';
import type { findImageStage } from '../../shared/stages/find-image';
import { clusterGroups } from '../cloud/cluster-ops';
import { defineHandler } from './handler';
import { monikerApplication } from './principal';

/**
 * Outputs as `image` (`name:version`) the image of a cluster's newest, oldest or largest group, or
 * the version a registry channel points at (a revoked one is refused: a deploy would refuse it too).
 */
export const findImageHandler = defineHandler<z.output<typeof findImageStage.config>>({
  async step({ config, repos, execution, now }) {
    if (config.source === 'registry') {
      const ref = `${config.image}@${config.channel}`;
      const found = await repos.images.resolve(ref, now);
      if (!found) return { status: 'FAILED', error: `the image registry has no ${ref} (no such image, or the channel points nowhere)` };
      if (found.revoked) return { status: 'FAILED', error: `${ref} is ${found.name}:${found.version}, which is revoked: ${found.revocation?.reason ?? ''}` };
      return { status: 'SUCCEEDED', outputs: { image: `${found.name}:${found.version}`, imageName: found.name, imageVersion: found.version, channel: config.channel } };
    }
    // Only this application's clusters are read (the registry is everyone's); naming another
    // application's cluster says so rather than that the cluster is empty.
    const owner = monikerApplication(config.cluster ?? '');
    if (owner !== execution.application) {
      return {
        status: 'FAILED',
        error: `cluster '${config.cluster}' belongs to application '${owner}'; a run of application '${execution.application}' finds images in its own clusters only (or in the image registry)`,
      };
    }
    const groups = (await clusterGroups(repos, { application: execution.application, account: config.account, region: config.region, cluster: config.cluster ?? '' })).filter(
      (g) => !config.onlyEnabled || !g.disabled,
    );
    const pick = config.selection === 'newest' ? groups[0] : config.selection === 'oldest' ? groups.at(-1) : [...groups].sort((a, b) => b.instances.length - a.instances.length)[0];
    if (!pick) {
      return {
        status: 'FAILED',
        error: `cluster '${config.cluster}' in ${config.account}/${config.region} has no ${config.onlyEnabled ? 'enabled ' : ''}server group to take an image from`,
      };
    }
    return {
      status: 'SUCCEEDED',
      outputs: { image: `${pick.image.name}:${pick.image.version}`, imageName: pick.image.name, imageVersion: pick.image.version, serverGroup: pick.name },
    };
  },
});
