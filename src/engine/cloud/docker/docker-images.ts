import type Docker from 'dockerode';
import { EngineError } from '../../errors';
import type { ImagePublisher } from '../../registry-push/publish-image';
import type { ContainerImage, ContainerImageSource } from './container-images';
import { engineMessage, loadOciArchive, statusOf } from './docker-engine';
import { type PullAuth, pullImage } from './docker-pull';
import type { EngineFlavour } from './engine-flavour';

/** An account that names a registry: images go there first and the engine pulls them by digest. */
export interface EngineRegistry {
  /** The account's `endpoint.registry`, e.g. `registry.example.com/team`. */
  registry: string;
  publisher: ImagePublisher;
  username?: string | undefined;
  password?: string | undefined;
}

/**
 * Makes images available in one account's engine: an image the engine already has is used as is;
 * otherwise, when the account names a registry, the image is pushed there (blobs it has are
 * skipped) and the engine pulls it by digest with the account's registry credentials — so a remote
 * engine needs no archive sent over its socket; with no registry the bakery's OCI archive is loaded.
 * Either happens once, even when several deploys ask at the same time.
 */
export function createEngineImages(docker: Docker, source: ContainerImageSource, account: string, flavour: () => Promise<EngineFlavour>, registry?: EngineRegistry | undefined) {
  const loading = new Map<string, Promise<void>>();

  const present = async (tag: string) => {
    try {
      await docker.getImage(tag).inspect();
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw err;
    }
  };

  // A refusal quoted from the engine must not carry the password it was sent.
  const secrets = registry?.password ? [registry.password, Buffer.from(`${registry.username ?? ''}:${registry.password}`).toString('base64')] : [];
  const redact = (text: string): string => secrets.reduce((t, s) => t.split(s).join('***'), text);

  const pull = async (image: ContainerImage, ref: string, field: string, via: EngineRegistry) => {
    // A push failure already names the account and the registry (publish-image.ts); a deploy's error is read by many.
    const pushed = await via.publisher.publish(image).catch((err: unknown) => {
      throw err instanceof EngineError ? new EngineError(err.kind, redact(err.message), err.field) : new Error(redact(String(err)));
    });
    const reference = `${pushed.repository}@${pushed.digest}`;
    const auth: PullAuth = { username: via.username, password: via.password, serveraddress: pushed.repository.split('/')[0]! };
    try {
      await pullImage(docker, reference, auth, await flavour());
      const at = image.tag.lastIndexOf(':');
      await docker.getImage(reference).tag({ repo: image.tag.slice(0, at), tag: image.tag.slice(at + 1) });
    } catch (err) {
      throw new EngineError(
        'bad_request',
        `the engine of account '${account}' could not pull '${ref}' (${reference}) from registry ${via.registry}: ${redact(engineMessage(err))}`,
        field,
      );
    }
  };

  return {
    async ensure(ref: string, field = 'image'): Promise<ContainerImage> {
      const image = await source.resolve(ref);
      if (!image)
        throw new EngineError('bad_request', `image '${ref}' is not an OCI image Kiln knows (bake it with the oci builder), so account '${account}' cannot run it`, field);
      if (await present(image.tag)) return image;
      if (!image.archive) throw new EngineError('bad_request', `image '${ref}' is neither in the engine of account '${account}' nor in Kiln's image store`, field);
      let load = loading.get(image.tag);
      if (!load) {
        load = (
          registry
            ? pull(image, ref, field, registry)
            : flavour()
                .then((f) => loadOciArchive(docker, image.archive!, image.tag, f))
                .catch((err: unknown) => {
                  throw new EngineError('bad_request', `the engine of account '${account}' could not load image '${ref}': ${engineMessage(err)}`, field);
                })
        ).finally(() => loading.delete(image.tag));
        loading.set(image.tag, load);
      }
      await load;
      return image;
    },
  };
}
