import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useImageArtifactApp } from '../../server/test-image-artifact';
import { runKiln } from '../test-cli';

const t = useImageArtifactApp();

describe('kiln image download', () => {
  it('saves the artifact under the name the server gives, checked against the registry, and names a missing version', async () => {
    const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const dir = mkdtempSync(join(tmpdir(), 'kiln-download-cli-'));
    const kiln = (args: string[]) => runKiln(args, { HOME: dir, KILN_URL: url, KILN_TOKEN: t.token });
    const file = join(dir, 'os.img.zst');
    const saved = await kiln(['image', 'download', 'os', 'v1', '-o', file]);
    expect(saved).toMatchObject({ code: 0, out: `Saved os:v1 to ${file} (${t.bytes.length} bytes, sha256 ${t.hex})\n` });
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(t.hex);
    const missing = await kiln(['image', 'download', 'os', 'v9', '-o', join(dir, 'x')]);
    expect(missing).toMatchObject({ code: 1, err: expect.stringContaining("cannot download os:v9: image 'os' has no version 'v9' (version)") });
    expect(existsSync(join(dir, 'x.partial'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
