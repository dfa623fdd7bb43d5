import type { ImageVersion } from '../../shared/domain/image';
import type { Repositories } from '../../db/types';
import { EngineError } from '../errors';

export interface DeployCheck {
  /** The registry's record, or undefined for images the registry does not hold (the built-in ones). */
  image: ImageVersion | undefined;
  /** Set when a revoked image is deployed anyway: who said why (record it with the deploy). */
  overridden?: { reason: string; revocation: string };
}

/**
 * Whether `ref` (`name:vN` or `name@channel`) may be deployed. A revoked image — itself or through
 * an ancestor — is refused (a 409 naming `image`) unless an override reason is given. For the deploy
 * path: call before creating a server group, with `field` set to the config field the image came from.
 */
export async function checkDeployable(
  repos: Pick<Repositories, 'images'>,
  ref: string,
  options: { overrideReason?: string | undefined; field?: string; now?: Date } = {},
): Promise<DeployCheck> {
  const field = options.field ?? 'image';
  const image = await repos.images.resolve(ref, options.now);
  if (!image) return { image: undefined };
  if (!image.revoked) return { image };
  const r = image.revocation!;
  const what = `${image.name}:${image.version} is revoked${r.from ? ` through its ancestor ${r.from}` : ''} since ${r.at} by ${r.by}: ${r.reason}`;
  const reason = options.overrideReason?.trim();
  if (!reason) throw new EngineError('conflict', `image ${what}; give an override reason to deploy it anyway`, field);
  return { image, overridden: { reason, revocation: what } };
}
