import type { Diagnostic } from './diagnostic';
import type { ProvisioningIntentInput } from './intent';
import { toButane } from './to-butane';
import { toCloudConfig } from './to-cloud-config';
import { translateButane } from './translate-butane';

export const RENDER_FORMATS = ['cloud-init', 'ignition', 'butane'] as const;
export type RenderFormat = (typeof RENDER_FORMATS)[number];

export interface Rendered {
  format: RenderFormat;
  /** What a file of this format is served as (cloud-config is YAML with its `#cloud-config` header). */
  contentType: string;
  output: string;
  warnings: Diagnostic[];
}

/**
 * One provisioning intent in the form a first boot consumes: cloud-init's cloud-config, Butane
 * YAML, or Ignition JSON (the Butane translated, as the bakery writes it into disk images). The
 * same function serves the API, the CLI and the dashboard's mocks.
 */
export function renderProvisioning(intent: ProvisioningIntentInput, format: RenderFormat): Rendered {
  if (format === 'cloud-init') return { format, contentType: 'text/cloud-config', output: toCloudConfig(intent), warnings: [] };
  const butane = toButane(intent);
  if (format === 'butane') return { format, contentType: 'application/yaml', output: butane, warnings: [] };
  const result = translateButane(butane, { strict: false });
  if (!result.ignition) {
    // The intent was valid, so a failed translation is Kiln's own fault: say so rather than answer half.
    throw new Error(`the Butane generated from this intent does not translate: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  return { format, contentType: 'application/vnd.coreos.ignition+json', output: `${JSON.stringify(result.ignition, null, 2)}\n`, warnings: result.warnings };
}
