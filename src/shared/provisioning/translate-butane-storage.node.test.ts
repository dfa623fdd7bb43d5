import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostic';
import { translateButane } from './translate-butane';
import { ignitionValidate } from './validators.node';

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
    expect(escape.errors.map((e) => formatDiagnostic('error', e))).toEqual([expect.stringContaining('$.storage.files.0.append.0.local, line 7 col 18: local file path traverses outside the files directory')]);
  });

  it('names a disk or filesystem without a device, and refuses with_mount_unit instead of dropping it', () => {
    expect(errorsOf('variant: fcos\nversion: 1.4.0\nstorage:\n  disks:\n    - wipe_table: true\n  filesystems:\n    - format: ext4\n')).toEqual([
      'error at $.storage.disks.0.device, line 5 col 7: field "device" is required',
      'error at $.storage.filesystems.0.device, line 7 col 7: field "device" is required',
    ]);
    expect(errorsOf('variant: fcos\nversion: 1.4.0\nstorage:\n  filesystems:\n    - device: /dev/vdb\n      path: /var/x\n      with_mount_unit: true\n')).toEqual([
      "error at $.storage.filesystems.0.with_mount_unit, line 7 col 7: with_mount_unit is valid Butane, but Kiln's translator does not support it",
    ]);
  });
});
