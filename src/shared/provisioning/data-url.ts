/**
 * How Butane turns inline/local file contents into an Ignition `data:` URL, re-derived from
 * coreos/butane base/util/url.go (MakeDataURL) and vincent-petithory/dataurl v1.0.0 (Escape):
 *
 * 1. URL-escaped: `data:,` + every byte outside [A-Za-z0-9-_.!~*'()] written as `%XX` (uppercase hex);
 * 2. base64: `data:;base64,` + standard padded base64, chosen only when strictly shorter than (1);
 * 3. gzip+base64, chosen when that plus len("gzip") is shorter still. Kiln never takes step 3: it has
 *    no synchronous deflate in the browser, and Go's gzip bytes could not be reproduced anyway. This is
 *    what Butane does with NoResourceAutoCompression; the output is valid but can be longer for big,
 *    compressible files.
 *
 * When the source sets no `compression`, Butane writes `"compression": ""` explicitly (so a child
 * config cannot inherit a parent's compression); when it does set one (`gzip`: the bytes are already
 * compressed), that value is kept and the bytes are never compressed again.
 */
export function makeDataUrl(contents: Uint8Array, currentCompression: string | undefined): { compression: string; source: string } {
  const escaped = `,${escapeRfc2396(contents)}`;
  const base64 = `;base64,${toBase64(contents)}`;
  const opaque = base64.length < escaped.length ? base64 : escaped;
  return { compression: currentCompression ?? '', source: `data:${opaque}` };
}

const UNRESERVED = /^[A-Za-z0-9\-_.!~*'()]$/;

/** dataurl.Escape: RFC 2396 unreserved bytes stay, everything else (including UTF-8 bytes) is %XX. */
export function escapeRfc2396(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && UNRESERVED.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard padded base64; written out because shared code has neither Buffer nor btoa typings. */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += B64[(n >> 18) & 63];
    out += B64[(n >> 12) & 63];
    out += b === undefined ? '=' : B64[(n >> 6) & 63];
    out += c === undefined ? '=' : B64[n & 63];
  }
  return out;
}

/** UTF-8 bytes of a JS string (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    let cp = ch.codePointAt(0) ?? 0xfffd;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(out);
}
