import { describe, expect, it } from 'vitest';
import { useImageArtifactApp } from '../test-image-artifact';

const t = useImageArtifactApp();

const get = (url: string, headers: Record<string, string> = {}, signedIn = true) =>
  t.app.inject({ method: 'GET', url, headers: { ...(signedIn ? { authorization: `Bearer ${t.token}` } : {}), ...headers } });

describe('GET /api/images/:name/versions/:version/artifact', () => {
  it('streams the artifact with its size, checksum and a file name', async () => {
    const res = await get('/api/images/os/versions/v1/artifact');
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(t.bytes)).toBe(true);
    expect(res.headers).toMatchObject({
      'content-length': String(t.bytes.length),
      'content-disposition': 'attachment; filename="os-v1.img.zst"',
      'accept-ranges': 'bytes',
      etag: `"${t.hex}"`,
      'repr-digest': `sha-256=:${Buffer.from(t.hex, 'hex').toString('base64')}:`,
    });
  });

  it('resumes with a range, and refuses one past the end', async () => {
    const part = await get('/api/images/os/versions/v1/artifact', { range: 'bytes=1000-1999' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${t.bytes.length}`);
    expect(part.rawPayload.equals(t.bytes.subarray(1000, 2000))).toBe(true);
    const tail = await get('/api/images/os/versions/v1/artifact', { range: 'bytes=-10' });
    expect(tail.rawPayload.equals(t.bytes.subarray(t.bytes.length - 10))).toBe(true);
    expect((await get('/api/images/os/versions/v1/artifact', { range: `bytes=${t.bytes.length}-` })).statusCode).toBe(416);
    // A range asked against another artifact is ignored: the whole file comes back.
    expect((await get('/api/images/os/versions/v1/artifact', { range: 'bytes=0-9', 'if-range': '"other"' })).statusCode).toBe(200);
  });

  it('needs a signed-in caller and names what is missing', async () => {
    expect((await get('/api/images/os/versions/v1/artifact', {}, false)).statusCode).toBe(401);
    expect((await get('/api/images/os/versions/v9/artifact')).json()).toMatchObject({ field: 'version', message: "image 'os' has no version 'v9'" });
    expect((await get('/api/images/os/versions/latest/artifact')).json()).toMatchObject({ field: 'version' });
    expect((await get('/api/images/os/versions/v2/artifact')).json()).toMatchObject({
      field: 'version',
      message: "the artifact of os:v2 is no longer in this Kiln's data directory",
    });
  });
});
