import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostic';
import { translateButane, type TranslateButaneOptions } from './translate-butane';

const HEAD = 'variant: flatcar\nversion: 1.0.0\n';

/** Bad input never throws and never yields a config: only positioned errors, in Butane's format. */
function errorsOf(source: string, options?: TranslateButaneOptions): string[] {
  const result = translateButane(source, options);
  expect(result.ignition).toBeUndefined();
  return result.errors.map((e) => formatDiagnostic('error', e));
}

describe('translateButane: invalid input is data, not an exception', () => {
  it('reports malformed YAML with its line and column', () => {
    expect(errorsOf(`${HEAD}storage:\n\tfiles: []\n`)).toEqual(['error at $, line 4 col 1: yaml: Tabs are not allowed as indentation']);
    expect(errorsOf(`${HEAD}passwd: {}\npasswd: {}\n`)).toEqual(['error at $, line 4 col 1: yaml: Map keys must be unique']);
    const [unclosed] = translateButane(`${HEAD}storage:\n  files: [\n`).errors;
    expect(unclosed).toMatchObject({ path: '$', line: 5, column: 1 });
  });

  it('requires variant and a semver version, and names the unsupported ones', () => {
    expect(errorsOf('')).toEqual(['error at $, line 1 col 1: error parsing variant; must be specified']);
    expect(errorsOf('version: 1.0.0\n')).toEqual(['error at $.variant, line 1 col 1: error parsing variant; must be specified']);
    expect(errorsOf('variant: fcos\nversion: 1.4\n')).toEqual(['error at $.version, line 2 col 10: error parsing version; must be a valid semver']);
    const supported = '(Kiln translates flatcar 1.0.0, fcos 1.4.0, fcos 1.5.0)';
    expect(errorsOf('variant: flatcar\nversion: 9.9.9\n')).toEqual([`error at $.version, line 2 col 10: No translator exists for variant flatcar with version 9.9.9 ${supported}`]);
    expect(errorsOf('variant: ubuntu\nversion: 1.0.0\n')).toEqual([`error at $.variant, line 1 col 10: No translator exists for variant ubuntu with version 1.0.0 ${supported}`]);
    expect(errorsOf('- a\n- b\n')).toEqual(['error at $, line 1 col 1: cannot unmarshal !!seq into a mapping: a Butane config is a mapping']);
  });

  it('rejects relative, traversing and non-normalized paths', () => {
    const source = `${HEAD}storage:\n  files:\n    - path: ../../etc/passwd\n    - path: /srv/../etc/passwd\n    - path: /etc/x/\n    - mode: 0644\n  directories:\n    - path: etc\n  links:\n    - path: /a/./b\n      target: /c\n`;
    expect(errorsOf(source)).toEqual([
      'error at $.storage.files.0.path, line 5 col 13: path not absolute',
      'error at $.storage.files.1.path, line 6 col 13: path is not fully simplified',
      'error at $.storage.files.2.path, line 7 col 13: path is not fully simplified',
      'error at $.storage.files.3.path, line 8 col 7: path not specified',
      'error at $.storage.directories.0.path, line 10 col 13: path not absolute',
      'error at $.storage.links.0.path, line 12 col 13: path is not fully simplified',
    ]);
  });

  it('rejects modes out of range or of the wrong type, and warns on decimal-looking ones', () => {
    expect(errorsOf(`${HEAD}storage:\n  files:\n    - path: /a\n      mode: 010000\n`)).toEqual(['error at $.storage.files.0.mode, line 6 col 13: illegal file mode']);
    expect(errorsOf(`${HEAD}storage:\n  files:\n    - path: /a\n      mode: "0644"\n`)).toEqual([
      'error at $.storage.files.0.mode, line 6 col 13: cannot unmarshal !!str `0644` into int',
    ]);
    const decimal = translateButane(`${HEAD}storage:\n  files:\n    - path: /a\n      mode: 644\n`);
    expect(decimal.warnings.map((w) => formatDiagnostic('warning', w))).toEqual([
      'warning at $.storage.files.0.mode, line 6 col 13: unreasonable mode would be reasonable if specified in octal; remember to add a leading zero',
      // 644 is 0o1204: the sticky bit, which Ignition also flags.
      'warning at $.storage.files.0.mode, line 6 col 13: setuid/setgid/sticky bits are not supported or functional in spec versions older than 3.6.0',
    ]);
  });

  it('rejects unit and drop-in names systemd would not load', () => {
    const source = `${HEAD}systemd:\n  units:\n    - name: nginx\n    - name: x.conf\n    - contents: "[Unit]"\n    - name: y.service\n      dropins:\n        - name: override\n`;
    expect(errorsOf(source)).toEqual([
      'error at $.systemd.units.0.name, line 5 col 13: invalid systemd unit extension',
      'error at $.systemd.units.1.name, line 6 col 13: invalid systemd unit extension',
      'error at $.systemd.units.2.name, line 7 col 7: field "name" is required',
      'error at $.systemd.units.3.dropins.0.name, line 10 col 17: invalid systemd drop-in extension',
    ]);
  });

  it('rejects wrong types, such as non-string contents', () => {
    const source = `${HEAD}storage:\n  files:\n    - path: /a\n      contents:\n        inline: [1, 2]\n    - path: /b\n      contents: hello\nsystemd:\n  units:\n    - name: a.service\n      contents: { a: 1 }\n      enabled: maybe\n`;
    expect(errorsOf(source)).toEqual([
      'error at $.storage.files.0.contents.inline, line 7 col 17: cannot unmarshal !!seq into string',
      'error at $.storage.files.1.contents, line 9 col 17: cannot unmarshal !!str `hello` into a mapping',
      'error at $.systemd.units.0.contents, line 13 col 17: cannot unmarshal !!map into string',
      'error at $.systemd.units.0.enabled, line 14 col 16: cannot unmarshal !!str `maybe` into bool',
    ]);
  });

  it('rejects duplicates, users without a name and contradictory fields', () => {
    const source = `${HEAD}storage:\n  files:\n    - path: /etc/a\n    - path: /etc/a\n      overwrite: true\n    - path: /etc/b\n      user: { id: 1, name: x }\n      contents: { inline: a, source: "https://x" }\n    - path: /etc/c\n      contents: { source: "ftp://x", compression: zstd }\npasswd:\n  users:\n    - name: u\n    - name: u\n    - ssh_authorized_keys: [k]\n`;
    expect(errorsOf(source)).toEqual([
      'error at $.storage.files.1.overwrite, line 7 col 18: overwrite must be false if source is unspecified',
      'error at $.storage.files.2.user, line 9 col 13: cannot set both id and name',
      'error at $.storage.files.2.contents.source, line 10 col 38: only one of the following can be set: inline, local, source',
      'error at $.storage.files.3.contents.compression, line 12 col 51: invalid compression method',
      'error at $.storage.files.3.contents.source, line 12 col 27: invalid url scheme',
      'error at $.passwd.users.2.name, line 17 col 7: field "name" is required',
      'error at $.storage.files.1, line 6 col 7: duplicate entry defined',
      'error at $.passwd.users.1, line 16 col 7: duplicate entry defined',
    ]);
  });

  it('refuses Butane features Kiln does not translate instead of dropping them silently', () => {
    const source = 'variant: fcos\nversion: 1.4.0\nignition:\n  timeouts:\n    http_total: 5\nstorage:\n  luks: []\nboot_device:\n  layout: x86_64\n';
    expect(errorsOf(source)).toEqual([
      "error at $.ignition, line 3 col 1: ignition is valid Butane, but Kiln's translator does not support it",
      "error at $.boot_device, line 8 col 1: boot_device is valid Butane, but Kiln's translator does not support it",
    ]);
    // boot_device only exists in the fcos variant; for flatcar it is merely unused.
    const flatcar = translateButane(`${HEAD}boot_device:\n  layout: x86_64\n`);
    expect(flatcar.warnings.map((w) => w.message)).toEqual(['Unused key boot_device']);
  });

  it('turns every unknown key into an error under strict', () => {
    const source = `${HEAD}extra: 1\nstorage:\n  filez: []\n`;
    expect(translateButane(source).warnings.map((w) => formatDiagnostic('warning', w))).toEqual([
      'warning at $.extra, line 3 col 1: Unused key extra',
      'warning at $.storage.filez, line 5 col 3: Unused key filez',
    ]);
    expect(errorsOf(source, { strict: true })).toEqual(['error at $.extra, line 3 col 1: Unused key extra', 'error at $.storage.filez, line 5 col 3: Unused key filez']);
  });

  it('reads YAML the way yaml.v3 does: octal modes, 1.1 booleans for bool fields, aliases', () => {
    const result = translateButane(
      `${HEAD}storage:\n  files:\n    - path: /a\n      mode: 0o640\n    - path: /b\n      mode: 0755\nsystemd:\n  units:\n    - name: a.service\n      enabled: yes\n      mask: off\n`,
    );
    expect(result.errors).toEqual([]);
    expect(result.ignition?.storage?.files?.map((f) => f.mode)).toEqual([0o640, 0o755]);
    expect(result.ignition?.systemd?.units).toEqual([{ enabled: true, mask: false, name: 'a.service' }]);
  });
});
