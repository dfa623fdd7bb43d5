import { parseIntent, type IntentFile, type IntentUnit, type ProvisioningIntentInput } from './intent';
import { emitYaml, withoutUndefined } from './yaml-emit';

export interface ToButaneOptions {
  /** flatcar → Butane flatcar 1.0.0; fcos → fcos 1.4.0. Both translate to Ignition 3.3.0. */
  variant?: 'flatcar' | 'fcos';
  /** Where the runcmd emulation keeps its done-marker. */
  stateDir?: string;
}

const RUNCMD_SCRIPT = '/opt/kiln/bin/kiln-runcmd';

/**
 * Renders the intent as Butane YAML. Ignition has no hostname key and no runcmd, so the hostname
 * becomes /etc/hostname (as in seed 004) and runcmd becomes a script run once by a oneshot unit,
 * guarded by a done-marker because Ignition's own run-once guarantee covers only its files stage.
 * Paths are under /opt and /etc because /usr is read-only on Flatcar and Fedora CoreOS.
 */
export function toButane(input: ProvisioningIntentInput, options: ToButaneOptions = {}): string {
  const intent = parseIntent(input);
  const variant = options.variant ?? 'flatcar';
  const stateDir = options.stateDir ?? '/var/lib/kiln';
  // The group whose members get passwordless sudo in each distribution's stock sudoers.
  const adminGroup = variant === 'fcos' ? 'wheel' : 'sudo';

  const files: IntentFile[] = [...intent.files];
  const units: IntentUnit[] = [...intent.units];
  if (intent.hostname) files.unshift({ path: '/etc/hostname', mode: 0o644, content: intent.hostname });
  if (intent.runcmd.length > 0) {
    const done = `${stateDir}/runcmd.done`;
    const script = [
      '#!/bin/sh',
      "# Kiln runcmd: the intent's first-boot commands, in order; stops at the first failure.",
      'set -eu',
      ...intent.runcmd,
      `mkdir -p ${stateDir}`,
      `touch ${done}`,
      '',
    ];
    files.push({ path: RUNCMD_SCRIPT, mode: 0o755, content: script.join('\n') });
    units.push({
      name: 'kiln-runcmd.service',
      enabled: true,
      contents: [
        '[Unit]',
        'Description=Kiln first-boot commands',
        'Wants=network-online.target',
        'After=network-online.target',
        `ConditionPathExists=!${done}`,
        '',
        '[Service]',
        'Type=oneshot',
        `ExecStart=${RUNCMD_SCRIPT}`,
        '',
        '[Install]',
        'WantedBy=multi-user.target',
        '',
      ].join('\n'),
    });
  }

  const config: Record<string, unknown> = { variant, version: variant === 'fcos' ? '1.4.0' : '1.0.0' };
  if (intent.users.length > 0) {
    config['passwd'] = {
      users: intent.users.map((u) => {
        const groups = [...new Set(u.sudo ? [...u.groups, adminGroup] : u.groups)];
        return withoutUndefined({
          name: u.name,
          groups: groups.length > 0 ? groups : undefined,
          shell: u.shell,
          password_hash: u.passwordHash,
          ssh_authorized_keys: u.sshAuthorizedKeys.length > 0 ? u.sshAuthorizedKeys : undefined,
        });
      }),
    };
  }
  if (files.length > 0) {
    config['storage'] = {
      files: files.map((f) => {
        const [user, group] = f.owner?.split(':') ?? [];
        return withoutUndefined({
          path: f.path,
          mode: f.mode,
          user: user ? { name: user } : undefined,
          group: group ? { name: group } : undefined,
          contents: { inline: f.content },
        });
      }),
    };
  }
  if (units.length > 0) {
    config['systemd'] = {
      units: units.map((u) => withoutUndefined({ name: u.name, enabled: u.enabled ? true : undefined, contents: u.contents })),
    };
  }
  return emitYaml(config, ['mode']);
}
