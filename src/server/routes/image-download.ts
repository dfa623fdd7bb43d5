import { createReadStream, statSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { IMAGE_DOWNLOAD_PATH } from '../../shared/api/images';
import { ImageVersionLabel } from '../../shared/domain/image';
import { ImageName } from '../../shared/domain/recipe';
import type { Repositories } from '../../db/types';
import { artifactPath, bakeryPaths, defaultDataDir } from '../../engine/index';
import { HttpError } from '../plugins/error-handler';

const SUFFIX = /\.(tar\.zst|tar\.gz|img\.zst|img\.gz|oci\.tar)$/;

/** A single `bytes=a-b`, `bytes=a-` or `bytes=-n` range; undefined for none, 'bad' when it cannot be served. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'bad' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'bad';
  if (m[1] === '') {
    const n = Number(m[2]);
    return n === 0 ? 'bad' : { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start >= size || end < start ? 'bad' : { start, end };
}

/**
 * Streams an image version's artifact as stored in the registry: its size, its sha256 as
 * `Repr-Digest` (RFC 9530) and ETag, and HTTP ranges so a large disk image can resume.
 * Everyone signed in may read images (access-rules.ts), as the images pages show them.
 */
export function imageDownloadRoutes(app: FastifyInstance, repos: Repositories, dataDir = defaultDataDir()): void {
  const paths = bakeryPaths(dataDir);
  app.get(IMAGE_DOWNLOAD_PATH, async (request, reply) => {
    const params = request.params as { name: string; version: string };
    const name = ImageName.safeParse(params.name);
    if (!name.success) throw new HttpError(400, 'bad_request', `name: ${name.error.issues[0]?.message ?? 'is invalid'}`, 'name');
    const version = ImageVersionLabel.safeParse(params.version);
    if (!version.success) throw new HttpError(400, 'bad_request', `version: ${version.error.issues[0]?.message ?? 'is invalid'}`, 'version');
    const image = await repos.images.resolve(`${name.data}:${version.data}`);
    if (!image) throw new HttpError(404, 'not_found', `image '${name.data}' has no version '${version.data}'`, 'version');
    const file = artifactPath(paths, image.artifact);
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      throw new HttpError(404, 'not_found', `the artifact of ${image.name}:${image.version} is no longer in this Kiln's data directory`, 'version');
    }
    const hex = image.digest.slice('sha256:'.length);
    const filename = `${image.name}-${image.version}.${SUFFIX.exec(image.artifact)?.[1] ?? 'bin'}`;
    reply
      .header('content-type', 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('accept-ranges', 'bytes')
      .header('etag', `"${hex}"`)
      .header('repr-digest', `sha-256=:${Buffer.from(hex, 'hex').toString('base64')}:`)
      .header('cache-control', 'private, max-age=0, must-revalidate');
    if (request.headers['if-none-match'] === `"${hex}"`) return reply.code(304).send();
    // A range applies only to the artifact it was asked against (If-Range with the ETag).
    const ifRange = request.headers['if-range'];
    const range = ifRange && ifRange !== `"${hex}"` ? undefined : parseRange(request.headers.range, size);
    if (range === 'bad') return reply.code(416).header('content-range', `bytes */${size}`).send();
    if (request.method === 'HEAD') return reply.header('content-length', size).send();
    if (range) {
      return reply
        .code(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
        .header('content-length', range.end - range.start + 1)
        .send(createReadStream(file, { start: range.start, end: range.end }));
    }
    return reply.header('content-length', size).send(createReadStream(file));
  });
}
