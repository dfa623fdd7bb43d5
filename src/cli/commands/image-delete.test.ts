import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useImageArtifactApp } from '../../server/test-image-artifact';
import { runKiln } from '../test-cli';

const t = useImageArtifactApp();

describe('kiln image delete', () => {
  it('deletes a version nothing uses, with its file, and names the channel that keeps another', async () => {
    const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const dir = mkdtempSync(join(tmpdir(), 'kiln-delete-cli-'));
    const kiln = (args: string[]) => runKiln(args, { HOME: dir, KILN_URL: url, KILN_TOKEN: t.token });
    expect(existsSync(t.artifactFile)).toBe(true);
    expect(await kiln(['image', 'delete', 'os', 'v1'])).toMatchObject({ code: 0, out: 'Deleted os:v1 and its files\n' });
    expect(existsSync(t.artifactFile)).toBe(false);
    const refused = await kiln(['image', 'delete', 'os', 'v2']);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('os:v2 cannot be deleted: channel latest points at it');
    const listed = await kiln(['image', 'get', 'os']);
    expect(listed.out).not.toMatch(/^v1 /m);
    expect(listed.out).toMatch(/^v2 /m);
    rmSync(dir, { recursive: true, force: true });
  });
});
