import type { Account, AccountCredentials } from '../../shared/domain/account';
import type { ImagePush } from '../../shared/domain/image';
import type { Repositories } from '../../db/types';
import type { ContainerImage } from '../cloud/docker/container-images';
import { EngineError } from '../errors';
import { pushOciArchive } from './push-image';

/** Puts an image where an account's cluster pulls from; answers the reference to run it by. */
export interface ImagePublisher {
  publish(image: ContainerImage): Promise<ImagePush>;
}

/**
 * Publishes to the account's registry (`endpoint.registry`) with its write-only registry
 * credentials, and records the manifest digest on the image version. Every deploy pushes: blobs
 * the registry has are skipped (a HEAD each), so this costs little and heals a registry that lost
 * an image. Undefined when the account names no registry.
 */
export function accountRegistryPublisher(deps: {
  repos: Pick<Repositories, 'imagePushes'>;
  account: Account;
  credentials?: AccountCredentials | undefined;
  log?: (line: string) => void;
}): ImagePublisher | undefined {
  const registry = deps.account.endpoint.registry;
  if (!registry) return undefined;
  // Never in a log line or an error, even when a registry quotes back what it was sent.
  const password = deps.credentials?.registryPassword;
  const secrets = password ? [password, Buffer.from(`${deps.credentials?.registryUsername ?? ''}:${password}`).toString('base64')] : [];
  const redact = (text: string): string => secrets.reduce((t, s) => t.split(s).join('***'), text);
  const log = deps.log;
  const say = log ? (line: string) => log(redact(line)) : () => {};
  return {
    async publish(image) {
      const { name, version } = image.ref;
      if (!image.archive) throw new EngineError('bad_request', `image '${name}:${version}' has no OCI archive on this Kiln server, so it cannot be pushed to ${registry}`, 'image');
      say(`pushing ${name}:${version} to ${registry}`);
      const pushed = await pushOciArchive(
        image.archive,
        { registry, username: deps.credentials?.registryUsername, password: deps.credentials?.registryPassword, name, tag: version },
        { say },
      ).catch((err: unknown) => {
        if (err instanceof EngineError) throw new EngineError(err.kind, redact(`account '${deps.account.name}' cannot push '${name}:${version}': ${err.message}`), 'image');
        throw new EngineError('bad_request', redact(`account '${deps.account.name}' cannot push '${name}:${version}' to ${registry}: ${(err as Error).message}`), 'image');
      });
      return deps.repos.imagePushes.record({ name, version, registry, repository: pushed.repository, digest: pushed.digest });
    },
  };
}
