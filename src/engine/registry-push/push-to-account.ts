import { existsSync } from 'node:fs';
import type { ImagePush } from '../../shared/domain/image';
import type { Repositories } from '../../db/types';
import { artifactPath, type BakeryPaths } from '../bakery/store';
import { engineTag } from '../cloud/docker/container-images';
import { EngineError } from '../errors';
import { accountRegistryPublisher } from './publish-image';

export interface PushRequest {
  name: string;
  version: string;
  /** The account whose registry (`endpoint.registry`) and write-only registry credentials are used. */
  account: string;
}

/**
 * Pushes one baked OCI image version to an account's registry on demand (the API, the CLI, a bake's
 * `push:` list), as a Kubernetes deploy does before it runs: blobs the registry has are skipped and
 * the manifest digest is recorded on the version. The credentials stay in the account; what comes
 * back (the record, the log lines, an error) never holds them.
 */
export async function pushImageToAccount(
  deps: { repos: Pick<Repositories, 'accounts' | 'images' | 'imagePushes'>; paths: BakeryPaths; log?: (line: string) => void },
  request: PushRequest,
  field = 'account',
): Promise<ImagePush> {
  const { name, version } = request;
  const account = await deps.repos.accounts.get(request.account);
  if (!account) throw new EngineError('not_found', `account '${request.account}' does not exist`, field);
  if (!account.endpoint.registry)
    throw new EngineError('bad_request', `account '${account.name}' names no registry to push to (set its registry, e.g. registry.example.com/team)`, field);
  const image = await deps.repos.images.resolve(`${name}:${version}`);
  if (!image) throw new EngineError('not_found', `image '${name}' has no version '${version}'`, 'version');
  if (image.format !== 'oci') throw new EngineError('bad_request', `${name}:${version} is a ${image.format} image; only oci images go to a registry`, 'version');
  const archive = artifactPath(deps.paths, image.artifact);
  const credentials = await deps.repos.accounts.credentials(account.name);
  // The caller may deploy to the account but never sees its password, even if a registry echoes it back.
  const password = credentials?.registryPassword;
  const secrets = password ? [password, Buffer.from(`${credentials?.registryUsername ?? ''}:${password}`).toString('base64')] : [];
  const redact = (text: string): string => secrets.reduce((t, s) => t.split(s).join('***'), text);
  const log = deps.log;
  const publisher = accountRegistryPublisher({ repos: deps.repos, account, credentials, ...(log ? { log: (line: string) => log(redact(line)) } : {}) })!;
  const ref = { name, version, digest: image.digest };
  return publisher.publish({ ref, tag: engineTag(ref), archive: existsSync(archive) ? archive : undefined }).catch((err: unknown) => {
    if (!(err instanceof EngineError)) throw new EngineError('bad_request', redact((err as Error).message), field);
    // A registry refusing the account's credentials is no fault of the caller's Kiln permissions: not a 403.
    throw new EngineError(err.kind === 'forbidden' ? 'conflict' : err.kind, redact(err.message), err.kind === 'forbidden' ? field : err.field);
  });
}
