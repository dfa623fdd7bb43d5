import { describe, expect, it } from 'vitest';
import { escapeRfc2396, makeDataUrl, toBase64, utf8 } from './data-url';

describe('data URLs as Butane writes them', () => {
  it('escapes with the test vectors of vincent-petithory/dataurl v1.0.0, the escaper Butane uses', () => {
    expect(escapeRfc2396(utf8('A brief note\n'))).toBe('A%20brief%20note%0A');
    expect(escapeRfc2396(utf8('{[]byte("A%20brief%20note"), []byte("A brief note")}'))).toBe(
      '%7B%5B%5Dbyte(%22A%2520brief%2520note%22)%2C%20%5B%5Dbyte(%22A%20brief%20note%22)%7D',
    );
  });

  it("matches Butane's own translation vectors (base/v0_4/translate_test.go)", () => {
    expect(makeDataUrl(utf8('hello'), undefined)).toEqual({ compression: '', source: 'data:,hello' });
    expect(makeDataUrl(utf8('file contents\n'), undefined).source).toBe('data:,file%20contents%0A');
    expect(makeDataUrl(utf8('tree/subdir/file'), undefined).source).toBe('data:,tree%2Fsubdir%2Ffile');
  });

  it('takes base64 only when strictly shorter, and keeps a compression the source declared', () => {
    // "~~~" escapes to 3 characters; base64 would be ";base64,fn5+" (12).
    expect(makeDataUrl(utf8('~~~'), undefined).source).toBe('data:,~~~');
    // Three spaces: ",%20%20%20" (10) vs ";base64,ICAg" (12): still escaped.
    expect(makeDataUrl(utf8('   '), undefined).source).toBe('data:,%20%20%20');
    // Six newlines: ",%0A…" (19) vs ";base64,CgoKCgoK" (16): base64.
    expect(makeDataUrl(utf8('\n'.repeat(6)), undefined).source).toBe('data:;base64,CgoKCgoK');
    expect(makeDataUrl(utf8('x'), 'gzip')).toEqual({ compression: 'gzip', source: 'data:,x' });
  });

  it('encodes UTF-8 and base64 without platform helpers', () => {
    expect([...utf8('é€😀')]).toEqual([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
    expect(toBase64(utf8(''))).toBe('');
    expect(toBase64(utf8('f'))).toBe('Zg==');
    expect(toBase64(utf8('fo'))).toBe('Zm8=');
    expect(toBase64(utf8('foobar'))).toBe('Zm9vYmFy');
  });
});
