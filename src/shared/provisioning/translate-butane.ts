import { isMap, isScalar, isSeq } from 'yaml';
import type { Diagnostic, PathPart } from './diagnostic';
import { decodeButane, type ButaneConfig, type ButaneOwner, type ButaneResource, type Reporter, type SpecVersion } from './butane-schema';
import { makeDataUrl, utf8 } from './data-url';
import { checkDuplicates, checkLinks, checkMode, checkNode, checkUnit, cleanPath } from './ignition-checks';
import type { IgnitionConfig, IgnitionVersion } from './ignition-config';
import { isRemote, type MountUnit, mergeUnits, mountUnitFor } from './mount-units';
import { prune, storageDevices } from './storage-devices';
import { keyText, parseYamlSource, resolve, resolveScalar, type YamlSource } from './yaml-source';
import { errorMessage } from '../error-message';
import { expandTrees, type FilesDirWalker, type TreeFile, type TreeLink } from './butane-trees';

export interface TranslateButaneOptions {
  /** As `butane --strict`: any warning fails the translation (the warnings are reported as errors). */
  strict?: boolean;
  /** Directory that `contents.local` paths are relative to (`butane --files-dir`); never escaped. */
  filesDir?: string;
  /** Reads a file below filesDir; injected so this module stays free of node:fs and runs in the browser. */
  readFile?: (path: string) => string | Uint8Array | undefined;
  /** Lists and stats the files directory for `storage.trees` (files-dir.node.ts on disk, files-dir.ts uploaded). */
  walker?: FilesDirWalker;
}

export interface TranslateButaneResult {
  ignition?: IgnitionConfig;
  warnings: Diagnostic[];
  errors: Diagnostic[];
}

/** The Butane spec versions Kiln translates, and the Ignition spec each produces (as Butane does). */
export const SUPPORTED_BUTANE_VERSIONS = [
  { variant: 'flatcar', version: '1.0.0', spec: 'flatcar-1.0.0', ignition: '3.3.0' },
  { variant: 'fcos', version: '1.4.0', spec: 'fcos-1.4.0', ignition: '3.3.0' },
  { variant: 'fcos', version: '1.5.0', spec: 'fcos-1.5.0', ignition: '3.4.0' },
] as const satisfies readonly { variant: string; version: string; spec: SpecVersion; ignition: IgnitionVersion }[];

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/**
 * Butane → Ignition, in-process and without exceptions: every problem in the source comes back
 * as a positioned diagnostic, worded as the real `butane` words it.
 */
export function translateButane(source: string, options: TranslateButaneOptions = {}): TranslateButaneResult {
  const parsed = parseYamlSource(source);
  if (!parsed.ok) return { warnings: [], errors: parsed.errors };
  const src = parsed.source;
  const warnings: Diagnostic[] = [];
  const errors: Diagnostic[] = [];
  const report: Reporter = {
    error: (parts, message, at) => errors.push(src.diagnostic(parts, message, at)),
    warn: (parts, message, at) => warnings.push(src.diagnostic(parts, message, at)),
  };
  const finish = (ignition?: IgnitionConfig): TranslateButaneResult => {
    if (options.strict && warnings.length > 0) return { warnings: [], errors: [...errors, ...warnings] };
    return errors.length > 0 ? { warnings, errors } : { ignition, warnings, errors };
  };

  const target = selectTarget(src, report);
  if (!target) return finish();
  const config = decodeButane(src, target.spec, report);
  // As in Butane, a source that does not even decode is not translated further.
  if (errors.length > 0) return finish();
  const ignition = toIgnition(config, target.ignition, target.spec, options, report);
  // A link declared without a target may get it from a tree (filled in place, same index), as in Butane.
  const filled = ignition.storage?.links;
  if (config.storage) checkLinks({ ...config.storage, links: config.storage.links?.map((l, i) => ({ ...l, target: l.target ?? filled?.[i]?.target })) }, report);
  checkDuplicates(config, report);
  return finish(ignition);
}

function selectTarget(src: YamlSource, report: Reporter) {
  const root = src.root;
  if (!isMap(root)) {
    const tag = isSeq(root) ? '!!seq' : isScalar(root) ? resolveScalar(root).tag : '!!null';
    report.error([], root ? `cannot unmarshal ${tag} into a mapping: a Butane config is a mapping` : 'error parsing variant; must be specified');
    return undefined;
  }
  const text = (key: string): string | undefined => {
    const value = resolve(src.doc, root.items.find((p) => keyText(p.key) === key)?.value);
    if (!value) return undefined;
    if (!isScalar(value)) {
      report.error([key], `cannot unmarshal ${isSeq(value) ? '!!seq' : '!!map'} into string`);
      return undefined;
    }
    const scalar = resolveScalar(value);
    return scalar.tag === '!!null' ? undefined : scalar.text;
  };
  const variant = text('variant');
  const version = text('version');
  if (!variant) {
    report.error(['variant'], 'error parsing variant; must be specified');
    return undefined;
  }
  if (!version || !SEMVER.test(version)) {
    report.error(['version'], 'error parsing version; must be a valid semver');
    return undefined;
  }
  const found = SUPPORTED_BUTANE_VERSIONS.find((t) => t.variant === variant && t.version === version);
  if (!found) {
    const knownVariant = SUPPORTED_BUTANE_VERSIONS.some((t) => t.variant === variant);
    const supported = SUPPORTED_BUTANE_VERSIONS.map((t) => `${t.variant} ${t.version}`).join(', ');
    report.error([knownVariant ? 'version' : 'variant'], `No translator exists for variant ${variant} with version ${version} (Kiln translates ${supported})`);
  }
  return found;
}

function toIgnition(c: ButaneConfig, version: IgnitionVersion, spec: SpecVersion, options: TranslateButaneOptions, report: Reporter): IgnitionConfig {
  const storage = c.storage ?? {};
  const files = storage.files?.map((f, i) => {
    const at = ['storage', 'files', i];
    checkNode(f, at, report);
    checkMode(f.mode, false, [...at, 'mode'], report);
    const contents = resource(f.contents, [...at, 'contents'], options, report);
    if (f.overwrite && contents?.source === undefined) {
      report.error([...at, 'overwrite'], 'overwrite must be false if source is unspecified');
    }
    const append = f.append?.map((r, j) => resource(r, [...at, 'append', j], options, report) ?? {});
    return prune({ ...node(f), append, contents, mode: f.mode });
  });
  const { disks, filesystems, luks, raid } = storageDevices(storage, (r, at) => resource(r, at, options, report), report);
  const directories = storage.directories?.map((d, i) => {
    const at = ['storage', 'directories', i];
    checkNode(d, at, report);
    checkMode(d.mode, true, [...at, 'mode'], report);
    return prune({ ...node(d), mode: d.mode });
  });
  const links = storage.links?.map((l, i) => {
    checkNode(l, ['storage', 'links', i], report);
    return prune({ ...node(l), hard: l.hard, target: l.target });
  });
  const users = c.passwd?.users?.map((u, i) => {
    if (!u.name) report.error(['passwd', 'users', i, 'name'], 'field "name" is required');
    return prune({
      gecos: u.gecos,
      groups: u.groups,
      homeDir: u.home_dir,
      name: u.name ?? '',
      noCreateHome: u.no_create_home,
      noLogInit: u.no_log_init,
      noUserGroup: u.no_user_group,
      passwordHash: u.password_hash,
      primaryGroup: u.primary_group,
      sshAuthorizedKeys: u.ssh_authorized_keys,
      shell: u.shell,
      shouldExist: u.should_exist,
      system: u.system,
      uid: u.uid,
    });
  });
  const groups = c.passwd?.groups?.map((g, i) => {
    if (!g.name) report.error(['passwd', 'groups', i, 'name'], 'field "name" is required');
    const { gid, name = '', password_hash: passwordHash, should_exist: shouldExist, system } = g;
    return prune({ gid, name, passwordHash, shouldExist, system });
  });
  const units = c.systemd?.units?.map((u, i) => {
    checkUnit(u, ['systemd', 'units', i], report);
    const dropins = u.dropins?.map((d) => prune({ contents: d.contents, name: d.name ?? '' }));
    return prune({ contents: u.contents, dropins, enabled: u.enabled, mask: u.mask, name: u.name ?? '' });
  });
  // Trees last, as Butane does: they fill in or append to the files and links above.
  const treeNodes = { files: (files ?? []) as TreeFile[], directories: (directories ?? []) as Array<{ path: string }>, links: (links ?? []) as TreeLink[] };
  expandTrees(storage.trees, treeNodes, options, report);
  const mountUnits = (storage.filesystems ?? [])
    .flatMap((f, i) => (f.with_mount_unit ? [mountUnitFor(f, spec, isRemote(f, storage), ['storage', 'filesystems', i], report)] : []))
    .filter((u) => u !== undefined);
  const kargs = c.kernel_arguments;
  return prune({
    ignition: { version },
    kernelArguments: prune({ shouldExist: kargs?.should_exist, shouldNotExist: kargs?.should_not_exist }),
    passwd: prune({ groups, users }),
    storage: prune({ directories, disks, files: treeNodes.files, filesystems, links: treeNodes.links, luks, raid }),
    systemd: prune({ units: mergeUnits(mountUnits, units as MountUnit[] | undefined) }),
  }) as IgnitionConfig;
}

/** Node fields in Ignition's order: group, overwrite, path, user. */
function node(n: { group?: ButaneOwner; overwrite?: boolean; path?: string; user?: ButaneOwner }) {
  const owner = (o?: ButaneOwner) => prune({ id: o?.id, name: o?.name });
  return { group: owner(n.group), overwrite: n.overwrite, path: n.path ?? '', user: owner(n.user) };
}

function resource(r: ButaneResource | undefined, at: PathPart[], options: TranslateButaneOptions, report: Reporter): { compression?: string; source?: string } | undefined {
  if (!r) return undefined;
  const given = (['local', 'inline', 'source'] as const).filter((k) => r[k] !== undefined);
  if (given.length > 1) {
    report.error([...at, given[given.length - 1] ?? 'source'], 'only one of the following can be set: inline, local, source');
    return undefined;
  }
  if (r.compression !== undefined && r.compression !== '' && r.compression !== 'gzip') {
    report.error([...at, 'compression'], 'invalid compression method');
  }
  if (r.source !== undefined) {
    const problem = urlProblem(r.source);
    if (problem) report.error([...at, 'source'], problem);
    return prune({ compression: r.compression, source: r.source });
  }
  const bytes = r.inline !== undefined ? utf8(r.inline) : r.local !== undefined ? readLocal(r.local, [...at, 'local'], options, report) : undefined;
  if (!bytes) return prune({ compression: r.compression });
  return makeDataUrl(bytes, r.compression || undefined);
}

function readLocal(local: string, at: PathPart[], options: TranslateButaneOptions, report: Reporter): Uint8Array | undefined {
  if (!options.filesDir || !options.readFile) {
    report.error(at, `cannot read local file ${JSON.stringify(local)}: local file paths are relative to a files directory, and none was given`);
    return undefined;
  }
  const base = cleanPath(options.filesDir);
  const full = cleanPath(`${base}/${local}`);
  if (full !== base && !full.startsWith(base === '/' ? '/' : `${base}/`)) {
    report.error(at, 'local file path traverses outside the files directory');
    return undefined;
  }
  try {
    const data = options.readFile(full);
    if (data === undefined) {
      report.error(at, `open ${full}: no such file or directory`);
      return undefined;
    }
    return typeof data === 'string' ? utf8(data) : data;
  } catch (e) {
    report.error(at, `open ${full}: ${errorMessage(e)}`);
    return undefined;
  }
}

/** Ignition fetches only these schemes; a data URL must at least have its comma. */
function urlProblem(url: string): string | undefined {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (!scheme || !['http', 'https', 'tftp', 'gs', 's3', 'data'].includes(scheme)) return 'invalid url scheme';
  if (scheme === 'data' && !url.includes(',')) return 'invalid data URL: missing comma';
  return undefined;
}
