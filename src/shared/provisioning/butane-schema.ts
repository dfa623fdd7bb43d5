import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { PathPart } from './diagnostic';
import { keyText, resolve, resolveScalar, yaml11Bool, type YamlSource } from './yaml-source';

/**
 * The Butane fields Kiln translates, written once as data so one walker can type-check the YAML,
 * report unused keys with their line/column, and hand the translator a typed object. Field names
 * and nesting follow Butane's base/v0_4 and v0_5 schemas (flatcar 1.0.0, fcos 1.4.0, fcos 1.5.0).
 */
export type SpecVersion = 'flatcar-1.0.0' | 'fcos-1.4.0' | 'fcos-1.5.0';

type Spec =
  | { readonly kind: 'string' }
  | { readonly kind: 'int' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'list'; readonly of: Spec }
  | { readonly kind: 'map'; readonly fields: Readonly<Record<string, Spec>> }
  // A key real Butane knows but Kiln does not translate: an error, never a silent "unused key".
  | { readonly kind: 'unsupported'; readonly in: readonly SpecVersion[] };

type Infer<S> = S extends { kind: 'string' }
  ? string
  : S extends { kind: 'int' }
    ? number
    : S extends { kind: 'bool' }
      ? boolean
      : S extends { kind: 'list'; of: infer O }
        ? Infer<O>[]
        : S extends { kind: 'map'; fields: infer F }
          ? { [K in keyof F as F[K] extends { kind: 'unsupported' } ? never : K]?: Infer<F[K]> }
          : never;

const ALL: readonly SpecVersion[] = ['flatcar-1.0.0', 'fcos-1.4.0', 'fcos-1.5.0'];
const str = { kind: 'string' } as const;
const int = { kind: 'int' } as const;
const bool = { kind: 'bool' } as const;
const list = <S extends Spec>(of: S) => ({ kind: 'list', of }) as const;
const map = <F extends Record<string, Spec>>(fields: F) => ({ kind: 'map', fields }) as const;
const unsupported = (versions: readonly SpecVersion[] = ALL) => ({ kind: 'unsupported', in: versions }) as const;

const owner = map({ id: int, name: str });
const resource = map({
  compression: str,
  source: str,
  inline: str,
  local: str,
  http_headers: unsupported(),
  verification: unsupported(),
});
const file = map({ group: owner, overwrite: bool, path: str, user: owner, append: list(resource), contents: resource, mode: int });
const partition = map({
  guid: str,
  label: str,
  number: int,
  resize: bool,
  should_exist: bool,
  size_mib: int,
  start_mib: int,
  type_guid: str,
  wipe_partition_entry: bool,
});
const disk = map({ device: str, partitions: list(partition), wipe_table: bool });
const filesystem = map({
  device: str,
  format: str,
  label: str,
  mount_options: list(str),
  options: list(str),
  path: str,
  uuid: str,
  wipe_filesystem: bool,
  with_mount_unit: bool,
});
const tang = map({ thumbprint: str, url: str, advertisement: unsupported(['fcos-1.5.0']) });
const luks = map({
  clevis: map({ custom: map({ config: str, needs_network: bool, pin: str }), tang: list(tang), threshold: int, tpm2: bool }),
  device: str,
  key_file: resource,
  label: str,
  name: str,
  options: list(str),
  uuid: str,
  wipe_volume: bool,
  discard: unsupported(['fcos-1.5.0']),
  open_options: unsupported(['fcos-1.5.0']),
});
const raid = map({ devices: list(str), level: str, name: str, options: list(str), spares: int });
const directory = map({ group: owner, overwrite: bool, path: str, user: owner, mode: int });
const link = map({ group: owner, overwrite: bool, path: str, user: owner, hard: bool, target: str });
const user = map({
  gecos: str,
  groups: list(str),
  home_dir: str,
  name: str,
  no_create_home: bool,
  no_log_init: bool,
  no_user_group: bool,
  password_hash: str,
  primary_group: str,
  ssh_authorized_keys: list(str),
  ssh_authorized_keys_local: unsupported(['fcos-1.5.0']),
  shell: str,
  should_exist: bool,
  system: bool,
  uid: int,
});
const group = map({ gid: int, name: str, password_hash: str, should_exist: bool, system: bool });
const dropin = map({ contents: str, contents_local: unsupported(['fcos-1.5.0']), name: str });
const unit = map({
  contents: str,
  contents_local: unsupported(['fcos-1.5.0']),
  dropins: list(dropin),
  enabled: bool,
  mask: bool,
  name: str,
});

export const butaneSchema = map({
  variant: str,
  version: str,
  ignition: unsupported(),
  kernel_arguments: map({ should_exist: list(str), should_not_exist: list(str) }),
  passwd: map({ groups: list(group), users: list(user) }),
  storage: map({
    directories: list(directory),
    disks: list(disk),
    files: list(file),
    filesystems: list(filesystem),
    links: list(link),
    luks: list(luks),
    raid: list(raid),
    trees: list(map({ local: str, path: str })),
  }),
  systemd: map({ units: list(unit) }),
  boot_device: unsupported(['fcos-1.4.0', 'fcos-1.5.0']),
  grub: unsupported(['fcos-1.5.0']),
});

export type ButaneConfig = Infer<typeof butaneSchema>;
export type ButaneFile = Infer<typeof file>;
export type ButaneResource = Infer<typeof resource>;
export type ButaneOwner = Infer<typeof owner>;
export type ButaneUnit = Infer<typeof unit>;
export type ButaneDisk = Infer<typeof disk>;
export type ButaneFilesystem = Infer<typeof filesystem>;
export type ButaneLuks = Infer<typeof luks>;
export type ButaneStorage = Infer<typeof butaneSchema.fields.storage>;

export interface Reporter {
  error(parts: readonly PathPart[], message: string, at?: 'key' | 'value'): void;
  warn(parts: readonly PathPart[], message: string, at?: 'key' | 'value'): void;
}

/** Walks the YAML against the schema; wrong types are errors, unknown keys warnings (as in Butane). */
export function decodeButane(source: YamlSource, version: SpecVersion, report: Reporter): ButaneConfig {
  return (decode(source, source.root, butaneSchema, [], version, report) ?? {}) as ButaneConfig;
}

function decode(source: YamlSource, node: Node | null, spec: Spec, parts: PathPart[], version: SpecVersion, report: Reporter): unknown {
  if (!node) return undefined;
  const scalar = isScalar(node) ? resolveScalar(node) : undefined;
  if (scalar?.tag === '!!null') return undefined;
  const tag = scalar?.tag ?? (isMap(node) ? '!!map' : isSeq(node) ? '!!seq' : '!!str');
  const mismatch = (into: string) => {
    const shown = scalar ? ` \`${scalar.text.length > 40 ? `${scalar.text.slice(0, 40)}…` : scalar.text}\`` : '';
    report.error(parts, `cannot unmarshal ${tag}${shown} into ${into}`);
    return undefined;
  };
  switch (spec.kind) {
    case 'string':
      // yaml.v3 stores any scalar's text in a Go string (`inline: 42` is "42"); collections are errors.
      return scalar ? scalar.text : mismatch('string');
    case 'int':
      return scalar?.int ?? mismatch('int');
    case 'bool':
      return scalar?.bool ?? (scalar?.tag === '!!str' ? yaml11Bool(scalar.text) : undefined) ?? mismatch('bool');
    case 'unsupported':
      return undefined;
    case 'list': {
      if (!isSeq(node)) return mismatch('a list');
      return node.items.map((item, i) => {
        const child = resolve(source.doc, item);
        return decode(source, child, spec.of, [...parts, i], version, report) ?? zero(spec.of);
      });
    }
    case 'map': {
      if (!isMap(node)) return mismatch('a mapping');
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const key = keyText(pair.key);
        const field = spec.fields[key];
        const value = resolve(source.doc, pair.value);
        if (!field || (field.kind === 'unsupported' && !field.in.includes(version))) {
          report.warn([...parts, key], `Unused key ${key}`, 'key');
        } else if (field.kind === 'unsupported') {
          if (!isEmpty(value)) report.error([...parts, key], `${key} is valid Butane, but Kiln's translator does not support it`, 'key');
        } else {
          const decoded = decode(source, value, field, [...parts, key], version, report);
          if (decoded !== undefined) out[key] = decoded;
        }
      }
      return out;
    }
  }
}

/** yaml.v3 fills a null list item with the element type's zero value, keeping later indices stable. */
function zero(spec: Spec): unknown {
  switch (spec.kind) {
    case 'string':
      return '';
    case 'int':
      return 0;
    case 'bool':
      return false;
    case 'list':
      return [];
    default:
      return {};
  }
}

function isEmpty(node: Node | null): boolean {
  if (!node) return true;
  if (isScalar(node)) return resolveScalar(node).tag === '!!null';
  return (isMap(node) || isSeq(node)) && node.items.length === 0;
}
