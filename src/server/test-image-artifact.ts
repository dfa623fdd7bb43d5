import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { bakeryPaths } from '../engine/index';
import { openTestApp } from './test-app';

interface ImageArtifactApp {
  app: FastifyInstance;
  /** The test admin's API token. */
  token: string;
  /** The artifact of os:v1 and its sha256. */
  bytes: Buffer;
  hex: string;
  /** Where os:v1's artifact lies in the data directory. */
  artifactFile: string;
  close: () => Promise<void>;
}

/**
 * A BFF (no test world, requests unsigned unless they bring the token) whose registry holds `os:v1`
 * with its artifact on disk, and `os:v2` whose artifact is gone from the data directory: what a
 * download, by HTTP or by the CLI, is tried against. close() drops the app and the data directory.
 */
export async function openImageArtifactApp(): Promise<ImageArtifactApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiln-download-'));
  const bytes = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7) % 251));
  const hex = createHash('sha256').update(bytes).digest('hex');
  const { app, close, token, repos } = await openTestApp({ seed: false, dataDir, signedIn: false });
  const artifactFile = join(bakeryPaths(dataDir).images, `${hex}.img.zst`);
  writeFileSync(artifactFile, bytes);
  const build = { builder: 'disk' as const, tools: {}, packages: [] };
  await repos.images.create({ name: 'os', build, digest: `sha256:${hex}`, sizeBytes: bytes.length, format: 'disk', artifact: `${hex}.img.zst` }, 'ci');
  await repos.images.create({ name: 'os', build, digest: `sha256:${'0'.repeat(64)}`, sizeBytes: 1, format: 'disk', artifact: `${'0'.repeat(64)}.img.zst` }, 'ci');
  return {
    app,
    token,
    bytes,
    hex,
    artifactFile,
    close: async () => {
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** For a test file: the app opened before its tests and closed after them; read its fields inside a test. */
export function useImageArtifactApp(): ImageArtifactApp {
  const t = {} as ImageArtifactApp;
  beforeAll(async () => {
    Object.assign(t, await openImageArtifactApp());
  }, 60_000);
  afterAll(() => t.close());
  return t;
}
