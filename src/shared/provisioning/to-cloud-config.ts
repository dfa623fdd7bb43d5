import { parseIntent, type IntentFile, type ProvisioningIntentInput } from './intent';
import { emitYaml, withoutUndefined } from './yaml-emit';
import { toBase64, utf8 } from './data-url';

/** The sudoers rule cloud-init writes for `sudo:`; the intent's `sudo: true` means passwordless root. */
const SUDO_RULE = 'ALL=(ALL) NOPASSWD:ALL';

// YAML cannot carry most control characters in a block scalar, and would normalize CR LF; such
// contents travel as base64 instead (`encoding: b64`), which cloud-init decodes before writing.
// eslint-disable-next-line no-control-regex
const NEEDS_BASE64 = /[\u0000-\u0008\u000B-\u001F\u007F\uFEFF]/;

/**
 * Renders the intent as `#cloud-config` user-data (validated by `cloud-init schema` in the tests).
 * Units become files under /etc/systemd/system plus `systemctl enable --now` in runcmd, which
 * cloud-init runs late in first boot, after write_files and users.
 */
export function toCloudConfig(input: ProvisioningIntentInput): string {
  const intent = parseIntent(input);
  const config: Record<string, unknown> = {};
  if (intent.hostname) config['hostname'] = intent.hostname;
  if (intent.users.length > 0) {
    config['users'] = intent.users.map((u) =>
      withoutUndefined({
        name: u.name,
        groups: u.groups.length > 0 ? u.groups : undefined,
        sudo: u.sudo ? SUDO_RULE : undefined,
        shell: u.shell,
        passwd: u.passwordHash,
        lock_passwd: u.passwordHash ? false : undefined,
        ssh_authorized_keys: u.sshAuthorizedKeys.length > 0 ? u.sshAuthorizedKeys : undefined,
      }),
    );
  }
  const userNames = new Set(intent.users.map((u) => u.name));
  const unitFiles: IntentFile[] = intent.units.flatMap((u) => (u.contents === undefined ? [] : [{ path: `/etc/systemd/system/${u.name}`, mode: 0o644, content: u.contents }]));
  const files = [...intent.files, ...unitFiles];
  if (files.length > 0) {
    config['write_files'] = files.map((f) => {
      const binary = NEEDS_BASE64.test(f.content) || f.content.includes('\r');
      const ownerUser = f.owner?.split(':')[0];
      return withoutUndefined({
        path: f.path,
        owner: f.owner,
        permissions: f.mode.toString(8).padStart(4, '0'),
        encoding: binary ? 'b64' : undefined,
        content: binary ? toBase64(utf8(f.content)) : f.content,
        // write_files runs before users are created; a file owned by a new user must wait for it.
        defer: ownerUser !== undefined && userNames.has(ownerUser) ? true : undefined,
      });
    });
  }
  const runcmd: (string | string[])[] = [];
  if (unitFiles.length > 0) runcmd.push(['systemctl', 'daemon-reload']);
  for (const u of intent.units.filter((x) => x.enabled)) runcmd.push(['systemctl', 'enable', '--now', u.name]);
  runcmd.push(...intent.runcmd);
  if (runcmd.length > 0) config['runcmd'] = runcmd;
  return `#cloud-config\n${emitYaml(config)}`;
}
