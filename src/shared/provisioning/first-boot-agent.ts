import { z } from 'zod';
import { pathProblem } from './ignition-checks';
import type { ProvisioningIntentInput } from './intent';
import { KERNEL_ARG, METADATA_HEADERS, METADATA_PATHS, SMBIOS_OEM_KEY } from './metadata-protocol';
import { renderAgentScript } from './first-boot-agent-script';

/**
 * The agent-less provisioning of seed 003, for any image: a systemd oneshot unit that, on first
 * boot, fetches the goal state, sets the hostname, reports Ready (retrying with bounded exponential
 * back-off), leaves a done-marker and disables itself. It needs only sh, coreutils and curl or
 * wget, so it works on minimal images where cloud-init or an agent cannot be installed.
 */
export const FIRST_BOOT_UNIT = 'kiln-report-ready.service';

const SafePath = z
  .string()
  .regex(/^[A-Za-z0-9/._-]+$/, "must hold only letters, digits, '/', '.', '_' or '-'")
  .refine((p) => pathProblem(p) === undefined, 'must be an absolute, normalized path');

export const FirstBootAgentOptions = z.object({
  /** Base URL of the metadata service (see metadata-protocol.ts), without a trailing slash. */
  metadataUrl: z
    .string()
    .regex(/^https?:\/\/[A-Za-z0-9.:[\]_~%/-]+$/, 'metadataUrl must be an http(s) URL without query, quotes or spaces')
    .refine((u) => !u.endsWith('/'), 'metadataUrl must not end with /'),
  stateDir: SafePath.default('/var/lib/kiln'),
  /** Under /opt: /usr is read-only on Flatcar and Fedora CoreOS. */
  scriptPath: SafePath.default('/opt/kiln/bin/kiln-report-ready'),
  maxAttempts: z.number().int().min(1).max(20).default(8),
  initialDelaySeconds: z.number().int().min(0).max(60).default(1),
  maxDelaySeconds: z.number().int().min(1).max(300).default(30),
});
export type FirstBootAgentOptions = z.input<typeof FirstBootAgentOptions>;

export interface FirstBootAgent {
  unitName: typeof FIRST_BOOT_UNIT;
  unit: string;
  scriptPath: string;
  script: string;
  /** The same two files as an intent fragment, to merge into any intent (see mergeIntents). */
  intent: ProvisioningIntentInput;
}

export function firstBootAgent(input: FirstBootAgentOptions): FirstBootAgent {
  const o = FirstBootAgentOptions.parse(input);
  const done = `${o.stateDir}/report-ready.done`;
  // Worst case per step: maxAttempts requests of at most 10 s plus the back-off sleeps; three steps.
  const perStep = o.maxAttempts * 10 + sleepsTotal(o.maxAttempts, o.initialDelaySeconds, o.maxDelaySeconds);
  const unit = [
    '[Unit]',
    'Description=Kiln: report ready to the metadata service (first boot, agent-less)',
    // No network-online wait (it costs seconds at boot): the script waits for a default route itself.
    // After multi-user.target too: cloud-final.service is ordered after it, and the script waits for
    // cloud-init, so being wanted by that target without this would be an ordering loop.
    'After=network.target systemd-networkd.service multi-user.target cloud-final.service',
    `ConditionPathExists=!${done}`,
    '',
    '[Service]',
    'Type=oneshot',
    `ExecStart=${o.scriptPath}`,
    'StandardOutput=journal+console',
    `TimeoutStartSec=${3 * perStep + 30}`,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
  const script = renderAgentScript(o, {
    kernelArg: KERNEL_ARG,
    smbiosKey: SMBIOS_OEM_KEY,
    paths: METADATA_PATHS,
    headers: METADATA_HEADERS,
    unit: FIRST_BOOT_UNIT,
  });
  return {
    unitName: FIRST_BOOT_UNIT,
    unit,
    scriptPath: o.scriptPath,
    script,
    intent: {
      files: [{ path: o.scriptPath, mode: 0o755, content: script }],
      units: [{ name: FIRST_BOOT_UNIT, enabled: true, contents: unit }],
    },
  };
}

function sleepsTotal(attempts: number, initial: number, max: number): number {
  let total = 0;
  for (let i = 1, d = initial; i < attempts; i++, d = Math.min(d * 2, max)) total += d;
  return total;
}
