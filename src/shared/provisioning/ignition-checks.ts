import type { PathPart } from './diagnostic';
import type { ButaneConfig, ButaneOwner, ButaneUnit, Reporter } from './butane-schema';

/**
 * The checks Ignition's own validator runs on the generated config, applied to the Butane source
 * (Butane maps every Ignition finding back to the source path, so the paths coincide for the fields
 * Kiln supports). Messages are Ignition's, so they match `butane` and `ignition-validate`.
 */

/** Go's path.Clean, the yardstick for "fully simplified": `/a/../b`, `/a//b`, `/a/` all fail it. */
export function cleanPath(p: string): string {
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined || '.';
}

/** Relative paths (`../../etc/passwd`) and ones with `..`, `.` or `//` segments never reach the disk. */
export function pathProblem(p: string | undefined): string | undefined {
  if (!p) return 'path not specified';
  if (!p.startsWith('/')) return 'path not absolute';
  if (cleanPath(p) !== p) return 'path is not fully simplified';
  return undefined;
}

export function checkNode(node: { path?: string; user?: ButaneOwner; group?: ButaneOwner }, parts: PathPart[], report: Reporter): void {
  const problem = pathProblem(node.path);
  if (problem) report.error([...parts, 'path'], problem);
  for (const who of ['user', 'group'] as const) {
    const owner = node[who];
    if (owner?.id !== undefined && owner.name) report.error([...parts, who], 'cannot set both id and name');
  }
}

export function checkMode(mode: number | undefined, directory: boolean, parts: PathPart[], report: Reporter): void {
  if (mode === undefined) return;
  if (mode < 0 || mode > 0o7777) {
    report.error(parts, 'illegal file mode');
    return;
  }
  if (looksDecimal(mode, directory)) {
    report.warn(parts, 'unreasonable mode would be reasonable if specified in octal; remember to add a leading zero');
  }
  if (mode & 0o7000) {
    report.warn(parts, 'setuid/setgid/sticky bits are not supported or functional in spec versions older than 3.6.0');
  }
}

/** Butane's CheckForDecimalMode: `mode: 644` is 0o1204, odd; read as octal it is the usual 0644. */
function looksDecimal(mode: number, directory: boolean): boolean {
  if (mode > 7777) return false;
  let octal = 0;
  for (const digit of String(mode).padStart(4, '0')) {
    if (Number(digit) > 7) return false;
    octal = (octal << 3) | Number(digit);
  }
  return !isTypicalMode(mode, directory) && isTypicalMode(octal, directory);
}

function isTypicalMode(mode: number, directory: boolean): boolean {
  if (mode === 0) return true;
  let hadR = false;
  let hadW = false;
  let hadX = false;
  // other, group, user: a more specific class must have every bit a less specific one has
  for (const perm of [mode & 7, (mode >> 3) & 7, (mode >> 6) & 7]) {
    const r = (perm & 4) !== 0;
    const w = (perm & 2) !== 0;
    const x = (perm & 1) !== 0;
    if ((!r && hadR) || (!w && hadW) || (!x && hadX)) return false;
    if (x && hadR && !hadX) return false;
    if ((w || x) && !r) return false;
    hadR ||= r;
    hadW ||= w;
    hadX ||= x;
  }
  if (!hadR) return false;
  if (directory) return hadX && (mode & 0o4000) === 0 && ((mode & 0o3000) === 0 || hadW);
  if (mode & 0o6000 && (!hadX || mode & 2)) return false;
  return (mode & 0o1000) === 0;
}

const UNIT_SUFFIXES = new Set(['.service', '.socket', '.device', '.mount', '.automount', '.swap', '.target', '.path', '.timer', '.snapshot', '.slice', '.scope']);

function extension(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot);
}

export function checkUnit(unit: ButaneUnit, parts: PathPart[], report: Reporter): void {
  if (!unit.name) report.error([...parts, 'name'], 'field "name" is required');
  else if (!UNIT_SUFFIXES.has(extension(unit.name))) report.error([...parts, 'name'], 'invalid systemd unit extension');
  if (unit.enabled && unit.contents && !hasInstallOption(unit.contents)) {
    report.warn([...parts, 'contents'], `unit ${JSON.stringify(unit.name ?? '')} is enabled, but has no install section so enable does nothing`);
  }
  for (const [i, dropin] of (unit.dropins ?? []).entries()) {
    const at = [...parts, 'dropins', i, 'name'];
    if (!dropin.name) report.error(at, 'field "name" is required');
    else if (extension(dropin.name) !== '.conf') report.error(at, 'invalid systemd drop-in extension');
  }
}

/** systemd enables a unit through its [Install] options; an empty or missing section does nothing. */
function hasInstallOption(contents: string): boolean {
  let section = '';
  for (const raw of contents.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[') && line.endsWith(']')) section = line.slice(1, -1);
    else if (section === 'Install' && line.includes('=') && !/^[#;]/.test(line)) return true;
  }
  return false;
}

export function checkLinks(storage: NonNullable<ButaneConfig['storage']>, report: Reporter): void {
  const links = storage.links ?? [];
  const under = (p: string | undefined) => links.some((l) => l.path && p?.startsWith(`${l.path}/`));
  for (const [i, d] of (storage.directories ?? []).entries()) {
    if (under(d.path)) report.error(['storage', 'directories', i], 'directory path includes link in config');
  }
  for (const [i, f] of (storage.files ?? []).entries()) {
    if (under(f.path)) report.error(['storage', 'files', i], 'file path includes link in config');
  }
  for (const [i, l] of links.entries()) {
    if (under(l.path)) report.error(['storage', 'links', i], 'link path includes link in config');
    if (!l.target) report.error(['storage', 'links', i, 'target'], 'link target is required');
    else if (l.hard) {
      const target = l.target.startsWith('/') ? cleanPath(l.target) : cleanPath(`${l.path ?? ''}/${l.target}`);
      if ((storage.directories ?? []).some((d) => d.path === target)) {
        report.error(['storage', 'links', i], 'hard link target is a directory');
      }
      for (const who of ['user', 'group'] as const) {
        for (const field of ['id', 'name'] as const) {
          if (l[who]?.[field] !== undefined) report.warn(['storage', 'links', i, who, field], 'user/group ignored for hard link');
        }
      }
    }
  }
}

/** Ignition's ValidateDups: files, directories and links share one namespace of paths, and so on. */
export function checkDuplicates(config: ButaneConfig, report: Reporter): void {
  const lists: { parts: PathPart[]; key: string }[][] = [];
  const storage = config.storage ?? {};
  lists.push((['directories', 'files', 'links'] as const).flatMap((kind) => (storage[kind] ?? []).map((n, i) => ({ parts: ['storage', kind, i], key: n.path ?? '' }))));
  const users = config.passwd?.users ?? [];
  lists.push(users.map((u, i) => ({ parts: ['passwd', 'users', i], key: u.name ?? '' })));
  for (const [i, u] of users.entries()) {
    lists.push((u.groups ?? []).map((g, j) => ({ parts: ['passwd', 'users', i, 'groups', j], key: g })));
    lists.push((u.ssh_authorized_keys ?? []).map((k, j) => ({ parts: ['passwd', 'users', i, 'ssh_authorized_keys', j], key: k })));
  }
  lists.push((config.passwd?.groups ?? []).map((g, i) => ({ parts: ['passwd', 'groups', i], key: g.name ?? '' })));
  const units = config.systemd?.units ?? [];
  lists.push(units.map((u, i) => ({ parts: ['systemd', 'units', i], key: u.name ?? '' })));
  for (const [i, u] of units.entries()) {
    lists.push((u.dropins ?? []).map((d, j) => ({ parts: ['systemd', 'units', i, 'dropins', j], key: d.name ?? '' })));
  }
  const kargs = config.kernel_arguments ?? {};
  lists.push((['should_exist', 'should_not_exist'] as const).flatMap((kind) => (kargs[kind] ?? []).map((k, i) => ({ parts: ['kernel_arguments', kind, i], key: k }))));
  for (const entries of lists) {
    const seen = new Set<string>();
    for (const { parts, key } of entries) {
      if (seen.has(key)) report.error(parts, 'duplicate entry defined');
      seen.add(key);
    }
  }
}
