import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostic';
import { translateButane } from './translate-butane';
import { ignitionValidate } from './validators.node';
import { escapePath } from './mount-units';

const STORAGE = `variant: fcos
version: 1.4.0
storage:
  disks:
    - device: /dev/vdb
      wipe_table: true
      partitions:
        - label: data
          number: 1
          size_mib: 1024
          type_guid: 0FC63DAF-8483-4772-8E79-3D69D8477DE4
        - label: scratch
          number: 0
          size_mib: 0
  filesystems:
    - device: /dev/disk/by-partlabel/data
      format: ext4
      path: /var/lib/data
      label: data
      wipe_filesystem: true
      options: ["-E", "lazy_itable_init=0"]
      mount_options: [noatime]
  files:
    - path: /etc/motd
      append:
        - inline: "first\\n"
        - source: https://example.com/more.txt
      mode: 0644
`;

// Ignition 3.3.0's field order (Disk, Partition, Filesystem, File structs) with Go's omitempty: a
// partition number of 0 ("the next free one") is not written; inline data becomes a data URL.
const STORAGE_IGNITION =
  '{"ignition":{"version":"3.3.0"},"storage":{"disks":[{"device":"/dev/vdb","partitions":[{"label":"data","number":1,"sizeMiB":1024,"typeGuid":"0FC63DAF-8483-4772-8E79-3D69D8477DE4"},{"label":"scratch","sizeMiB":0}],"wipeTable":true}],"files":[{"path":"/etc/motd","append":[{"compression":"","source":"data:,first%0A"},{"source":"https://example.com/more.txt"}],"mode":420}],"filesystems":[{"device":"/dev/disk/by-partlabel/data","format":"ext4","label":"data","mountOptions":["noatime"],"options":["-E","lazy_itable_init=0"],"path":"/var/lib/data","wipeFilesystem":true}]}}';

const errorsOf = (source: string) => translateButane(source).errors.map((e) => formatDiagnostic('error', e));

describe('translateButane: partitions, filesystems and appended files', () => {
  it('translates disks, filesystems and file appends into Ignition that ignition-validate accepts', () => {
    const result = translateButane(STORAGE);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(JSON.stringify(result.ignition)).toBe(STORAGE_IGNITION);
    expect(ignitionValidate(result.ignition)).toEqual({ status: 0, output: '' });
  });

  it('appends from a local file below the files directory, never outside it', () => {
    const source = 'variant: fcos\nversion: 1.4.0\nstorage:\n  files:\n    - path: /etc/motd\n      append:\n        - local: motd.d/extra\n';
    const files: Record<string, string> = { '/srv/files/motd.d/extra': 'hello\n' };
    const ok = translateButane(source, { filesDir: '/srv/files', readFile: (p) => files[p] });
    expect(ok.errors).toEqual([]);
    expect(ok.ignition?.storage?.files?.[0]?.append).toEqual([{ compression: '', source: 'data:,hello%0A' }]);
    expect(ignitionValidate(ok.ignition)).toEqual({ status: 0, output: '' });
    const escape = translateButane(source.replace('motd.d/extra', '../../etc/shadow'), { filesDir: '/srv/files', readFile: (p) => files[p] ?? 'secret' });
    expect(escape.errors.map((e) => formatDiagnostic('error', e))).toEqual([
      expect.stringContaining('$.storage.files.0.append.0.local, line 7 col 18: local file path traverses outside the files directory'),
    ]);
  });

  it('names a disk or filesystem without a device, and a mount unit without a format or a path', () => {
    expect(errorsOf('variant: fcos\nversion: 1.4.0\nstorage:\n  disks:\n    - wipe_table: true\n  filesystems:\n    - format: ext4\n')).toEqual([
      'error at $.storage.disks.0.device, line 5 col 7: field "device" is required',
      'error at $.storage.filesystems.0.device, line 7 col 7: field "device" is required',
    ]);
    expect(
      errorsOf(
        'variant: fcos\nversion: 1.4.0\nstorage:\n  filesystems:\n    - device: /dev/vdb\n      format: xfs\n      with_mount_unit: true\n    - device: /dev/vdc\n      with_mount_unit: true\n',
      ),
    ).toEqual([
      'error at $.storage.filesystems.0.path, line 5 col 7: path is required if with_mount_unit is true and format is not swap',
      'error at $.storage.filesystems.1.format, line 8 col 7: format is required if with_mount_unit is true',
    ]);
  });
});

// Butane's mount unit template (base v0_4 for flatcar 1.0.0 / fcos 1.4.0; v0_5 for fcos 1.5.0 has no Before= line).
const MOUNTS = (version: string) => `variant: fcos
version: ${version}
storage:
  filesystems:
    - device: /dev/disk/by-partlabel/var-data
      format: ext4
      path: /var/lib/.data
      mount_options: [noatime, nodev]
      with_mount_unit: true
    - device: /dev/vdc
      format: swap
      with_mount_unit: true
systemd:
  units:
    - name: var-lib-.data.mount
      mask: false
    - name: app.service
      enabled: true
      contents: "[Service]\\nExecStart=/bin/true\\n[Install]\\nWantedBy=multi-user.target\\n"
`;

describe('translateButane: with_mount_unit', () => {
  it.each([
    ['1.4.0', 'Before=local-fs.target\n'],
    ['1.5.0', ''],
  ])('fcos %s: writes the mount and swap units Butane writes, merged with the config’s own units, valid for ignition-validate', (version, before) => {
    const result = translateButane(MOUNTS(version));
    expect(result.errors).toEqual([]);
    const units = result.ignition?.systemd?.units;
    expect(units?.map((u) => u.name)).toEqual(['var-lib-.data.mount', 'dev-vdc.swap', 'app.service']);
    expect(units?.[0]).toEqual({
      contents: `# Generated by Butane\n[Unit]\n${before}Requires=systemd-fsck@dev-disk-by\\x2dpartlabel-var\\x2ddata.service\nAfter=systemd-fsck@dev-disk-by\\x2dpartlabel-var\\x2ddata.service\n\n[Mount]\nWhere=/var/lib/.data\nWhat=/dev/disk/by-partlabel/var-data\nType=ext4\nOptions=noatime,nodev\n\n[Install]\nRequiredBy=local-fs.target`,
      enabled: true,
      mask: false,
      name: 'var-lib-.data.mount',
    });
    expect(units?.[1]).toEqual({ contents: '# Generated by Butane\n[Swap]\nWhat=/dev/vdc\n\n[Install]\nRequiredBy=swap.target', enabled: true, name: 'dev-vdc.swap' });
    expect(ignitionValidate(result.ignition)).toEqual({ status: 0, output: '' });
  });
});

describe('unit names from paths', () => {
  it('escape as systemd-escape --path does', () => {
    const paths = ['/var/lib/.data', '/dev/disk/by-partlabel/var-data', '/', '//srv//a b/ü/', '/.hidden/x', '/mnt/data_1:2'];
    const expected = execFileSync('systemd-escape', ['--path', ...paths], { encoding: 'utf8' })
      .trim()
      .split(' ');
    expect(paths.map(escapePath)).toEqual(expected);
  });
});

// A RAID1 array, encrypted with LUKS unlocked by a Tang server, mounted at boot: the mount needs the network.
const ENCRYPTED = (version: string) => `variant: fcos
version: ${version}
storage:
  raid:
    - name: md-data
      level: raid1
      devices: [/dev/vdb, /dev/vdc]
      spares: 0
  luks:
    - name: data
      device: /dev/md/md-data
      wipe_volume: true
      key_file:
        inline: kiln-secret
      clevis:
        tang:
          - url: https://tang.example.com
            thumbprint: REPLACE-THIS-WITH-YOUR-TANG-THUMBPRINT
        threshold: 1
  filesystems:
    - device: /dev/mapper/data
      format: xfs
      path: /var/lib/data
      with_mount_unit: true
`;

describe('translateButane: RAID and LUKS', () => {
  it.each([
    ['1.4.0', 'Before=remote-fs.target\nDefaultDependencies=no\n', ''],
    ['1.5.0', '', '\nOptions=_netdev'],
  ])('fcos %s: arrays and encrypted volumes translate, and a filesystem on a Tang-unlocked volume is mounted as remote', (version, before, options) => {
    const result = translateButane(ENCRYPTED(version));
    expect(result.errors).toEqual([]);
    expect(result.ignition?.storage?.raid).toEqual([{ devices: ['/dev/vdb', '/dev/vdc'], level: 'raid1', name: 'md-data', spares: 0 }]);
    expect(JSON.stringify(result.ignition?.storage?.luks)).toBe(
      '[{"clevis":{"tang":[{"thumbprint":"REPLACE-THIS-WITH-YOUR-TANG-THUMBPRINT","url":"https://tang.example.com"}],"threshold":1},"device":"/dev/md/md-data","keyFile":{"compression":"","source":"data:,kiln-secret"},"name":"data","wipeVolume":true}]',
    );
    expect(result.ignition?.systemd?.units).toEqual([
      {
        contents: `# Generated by Butane\n[Unit]\n${before}Requires=systemd-fsck@dev-mapper-data.service\nAfter=systemd-fsck@dev-mapper-data.service\n\n[Mount]\nWhere=/var/lib/data\nWhat=/dev/mapper/data\nType=xfs${options}\n\n[Install]\nRequiredBy=remote-fs.target`,
        enabled: true,
        name: 'var-lib-data.mount',
      },
    ]);
    expect(ignitionValidate(result.ignition)).toEqual({ status: 0, output: '' });
  });

  it('names a LUKS volume or an array without a name', () => {
    expect(errorsOf('variant: fcos\nversion: 1.4.0\nstorage:\n  luks:\n    - device: /dev/vdb\n  raid:\n    - level: raid1\n')).toEqual([
      'error at $.storage.luks.0.name, line 5 col 7: field "name" is required',
      'error at $.storage.raid.0.name, line 7 col 7: field "name" is required',
    ]);
  });
});
