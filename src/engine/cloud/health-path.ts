import type { ServerGroup } from '../../shared/domain/server-group';
import type { Repositories } from '../../db/types';

/** Kiln's health path when neither the image nor a balancer names one. */
export const DEFAULT_HEALTH_PATH = '/health';

/**
 * Where an instance's health is asked: the image's own `run.healthPath` when it says one (the app
 * knows where it answers; a balancer's path is a guess made for another app, and an app that 404s
 * it would never become healthy), else the path of the group's first balancer that has one, else
 * `/health`. Kiln's own balancers route only to instances this check passed, and a Kubernetes
 * Service only to pods whose readiness probe (the same path) passed, so traffic and instance
 * health always agree.
 */
export function healthPathFor(imagePath: string | undefined, balancerPaths: ReadonlyArray<string | undefined>): string {
  return imagePath ?? balancerPaths.find((p) => p !== undefined) ?? DEFAULT_HEALTH_PATH;
}

/** healthPathFor a group, its balancers read from the database (they may not be open yet, as while a restarted Kiln adopts). */
export async function groupHealthPath(
  repos: Pick<Repositories, 'loadBalancers'>,
  sg: Pick<ServerGroup, 'account' | 'region' | 'loadBalancers'>,
  imagePath: string | undefined,
): Promise<string> {
  if (imagePath) return imagePath;
  const paths: Array<string | undefined> = [];
  for (const name of sg.loadBalancers) paths.push((await repos.loadBalancers.get({ account: sg.account, region: sg.region, name }))?.healthCheckPath);
  return healthPathFor(undefined, paths);
}
