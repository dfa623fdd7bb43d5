import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs the real validators on what Kiln generates: Debian's `ignition-validate` (Ignition 2.14) and
 * `cloud-init schema` (22.4). A missing binary is a thrown error, never a skip, so a machine without
 * them fails the suite loudly; `bash src/tools/ensure-provisioning-tools.sh` installs both.
 */
export interface ValidatorRun {
  status: number;
  output: string;
}

function run(command: string, args: string[], file: string, text: string): ValidatorRun {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-validate-'));
  try {
    const path = join(dir, file);
    writeFileSync(path, text);
    const result = spawnSync(command, [...args, path], { encoding: 'utf8', timeout: 30_000 });
    if (result.error) {
      throw new Error(`${command} could not run (${result.error.message}); install it with: bash src/tools/ensure-provisioning-tools.sh`);
    }
    return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}`.replaceAll(path, file).trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Ignition 2.14 predates the stabilisation of spec 3.4.0 (fcos 1.5.0's output) and knows it only as
 * 3.4.0-experimental, which has the same fields Kiln emits; such configs are checked under that name.
 */
export function ignitionValidate(config: unknown): ValidatorRun {
  const text = typeof config === 'string' ? config : JSON.stringify(config);
  const first = run('ignition-validate', [], 'config.ign', text);
  const version = (JSON.parse(text) as { ignition?: { version?: string } }).ignition?.version;
  if (first.status !== 0 && version === '3.4.0' && first.output.includes('unsupported config version')) {
    const experimental = text.replace('"version":"3.4.0"', '"version":"3.4.0-experimental"');
    return run('ignition-validate', [], 'config.ign', experimental);
  }
  return first;
}

export function cloudInitSchema(userData: string): ValidatorRun {
  return run('cloud-init', ['schema', '--config-file'], 'user-data', userData);
}
