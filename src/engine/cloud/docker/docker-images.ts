import type Docker from 'dockerode';
import type { ImageRef } from '../../../shared/domain/image';
import { EngineError } from '../../errors';
import type { ContainerImageSource } from './container-images';
import { engineMessage, loadOciArchive, statusOf } from './docker-engine';
import type { EngineFlavour } from './engine-flavour';

/**
 * Makes images available in one account's engine: an image the engine already has is used as is;
 * otherwise the bakery's OCI archive is loaded (once, even when several deploys ask at the same time).
 */
export function createEngineImages(docker: Docker, source: ContainerImageSource, account: string, flavour: () => Promise<EngineFlavour>) {
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

  return {
    async ensure(ref: string, field = 'image'): Promise<{ ref: ImageRef; tag: string }> {
      const image = await source.resolve(ref);
      if (!image)
        throw new EngineError('bad_request', `image '${ref}' is not an OCI image Kiln knows (bake it with the oci builder), so account '${account}' cannot run it`, field);
      if (await present(image.tag)) return image;
      if (!image.archive) throw new EngineError('bad_request', `image '${ref}' is neither in the engine of account '${account}' nor in Kiln's image store`, field);
      let load = loading.get(image.tag);
      if (!load) {
        load = flavour()
          .then((f) => loadOciArchive(docker, image.archive!, image.tag, f))
          .finally(() => loading.delete(image.tag));
        loading.set(image.tag, load);
      }
      try {
        await load;
      } catch (err) {
        throw new EngineError('bad_request', `the engine of account '${account}' could not load image '${ref}': ${engineMessage(err)}`, field);
      }
      return image;
    },
  };
}
