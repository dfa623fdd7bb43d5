import type { PathPart } from './diagnostic';
import type { ButaneResource, ButaneStorage, Reporter } from './butane-schema';

type Resource = { compression?: string; source?: string };

/** Go's omitempty as Butane's JSON encoder applies it: absent, empty lists and empty objects vanish. */
export function prune<T extends Record<string, unknown>>(o: T): T | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return Object.keys(out).length > 0 ? (out as T) : undefined;
}

/**
 * Disks (partition tables), filesystems, LUKS volumes and RAID arrays, in Ignition's field order
 * (its Go structs) so the JSON matches Butane's byte for byte. The fields Ignition requires are
 * named here, as Butane's validation names them, rather than left to fail on the machine.
 */
export function storageDevices(storage: NonNullable<ButaneStorage>, resource: (r: ButaneResource | undefined, at: PathPart[]) => Resource | undefined, report: Reporter) {
  const required = (value: string | undefined, field: string, at: PathPart[]) => {
    if (!value) report.error([...at, field], `field "${field}" is required`);
    return value ?? '';
  };
  const disks = storage.disks?.map((d, i) =>
    prune({
      device: required(d.device, 'device', ['storage', 'disks', i]),
      partitions: d.partitions?.map(
        (p) =>
          // Ignition's `number` is omitempty: 0 means "the next free one" and is not written.
          prune({
            guid: p.guid,
            label: p.label,
            number: p.number || undefined,
            resize: p.resize,
            shouldExist: p.should_exist,
            sizeMiB: p.size_mib,
            startMiB: p.start_mib,
            typeGuid: p.type_guid,
            wipePartitionEntry: p.wipe_partition_entry,
          }) ?? {},
      ),
      wipeTable: d.wipe_table,
    }),
  );
  const filesystems = storage.filesystems?.map((f, i) =>
    prune({
      device: required(f.device, 'device', ['storage', 'filesystems', i]),
      format: f.format,
      label: f.label,
      mountOptions: f.mount_options,
      options: f.options,
      path: f.path,
      uuid: f.uuid,
      wipeFilesystem: f.wipe_filesystem,
    }),
  );
  const luks = storage.luks?.map((l, i) => {
    const at = ['storage', 'luks', i];
    const c = l.clevis;
    const clevis = c
      ? prune({
          custom: c.custom ? prune({ config: c.custom.config, needsNetwork: c.custom.needs_network, pin: c.custom.pin }) : undefined,
          tang: c.tang?.map((t) => prune({ thumbprint: t.thumbprint, url: t.url }) ?? {}),
          threshold: c.threshold,
          tpm2: c.tpm2,
        })
      : undefined;
    return prune({
      clevis,
      device: required(l.device, 'device', at),
      keyFile: resource(l.key_file, [...at, 'key_file']),
      label: l.label,
      name: required(l.name, 'name', at),
      options: l.options,
      uuid: l.uuid,
      wipeVolume: l.wipe_volume,
    });
  });
  const raid = storage.raid?.map((r, i) => {
    const at = ['storage', 'raid', i];
    return prune({ devices: r.devices, level: r.level, name: required(r.name, 'name', at), options: r.options, spares: r.spares });
  });
  return { disks, filesystems, luks, raid };
}
