import { chmodSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RecipeProvisioning } from '../../shared/domain/recipe';
import { firstBootAgent } from '../../shared/provisioning/first-boot-agent';
import { toCloudConfig } from '../../shared/provisioning/to-cloud-config';
import type { BakeLog } from './bake-log';
import { insideRoot } from './image-root';

export const CLOUD_CONFIG_FILE = '/etc/cloud/cloud.cfg.d/90-kiln.cfg';
export const UNIT_DIR = '/etc/systemd/system';
export const WANTS_DIR = '/etc/systemd/system/multi-user.target.wants';

/**
 * Writes what the recipe asks for at first boot into the image: hostname, fstab, files, systemd
 * units (enabled the way `systemctl enable` does, with a wants symlink), the agent-less first-boot
 * unit, and users as cloud-init config (created by cloud-init at first boot, not baked as /etc/passwd
 * edits). The same intent model as the provisioning API.
 */
export function writeProvisioning(log: BakeLog, provisioning: RecipeProvisioning | undefined, root: string): void {
  if (!provisioning) return;
  const step = 'provisioning';
  const write = (path: string, content: string, mode = 0o644) => {
    const target = insideRoot(root, path, step);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    chmodSync(target, mode);
  };
  if (provisioning.hostname) {
    write('/etc/hostname', `${provisioning.hostname}\n`);
    log.say(step, `hostname ${provisioning.hostname}`);
  }
  if (provisioning.fstab.length > 0) {
    const lines = provisioning.fstab.map((e) => `${e.device}\t${e.mountPoint}\t${e.type}\t${e.options}\t0\t${e.mountPoint === '/' ? 1 : 2}`);
    write('/etc/fstab', `# written by the Kiln bakery\n${lines.join('\n')}\n`);
    log.say(step, `fstab with ${lines.length} entries`);
  }
  const agent = provisioning.firstBootAgent ? firstBootAgent({ metadataUrl: provisioning.firstBootAgent.metadataUrl }) : undefined;
  const files = [...provisioning.files, ...(agent?.intent.files ?? []).map((f) => ({ path: f.path, content: f.content, mode: f.mode ?? 0o644 }))];
  for (const f of files) write(f.path, f.content, f.mode);
  const units = [...provisioning.units, ...(agent?.intent.units ?? []).map((u) => ({ name: u.name, contents: u.contents, enabled: u.enabled ?? true }))];
  for (const u of units) {
    if (u.contents !== undefined) write(`${UNIT_DIR}/${u.name}`, u.contents);
    if (u.enabled) {
      const link = insideRoot(root, `${WANTS_DIR}/${u.name}`, step);
      mkdirSync(dirname(link), { recursive: true });
      if (existsSync(link)) rmSync(link);
      symlinkSync(`${UNIT_DIR}/${u.name}`, link);
    }
    log.say(step, `unit ${u.name}${u.enabled ? ' (enabled)' : ''}`);
  }
  if (provisioning.users.length > 0) {
    write(CLOUD_CONFIG_FILE, toCloudConfig({ users: provisioning.users }));
    log.say(step, `${provisioning.users.length} users for cloud-init (${CLOUD_CONFIG_FILE})`);
  }
}
