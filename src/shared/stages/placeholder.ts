import { z } from 'zod';
import { defineStage } from './definition';

/**
 * A stage imported from another system (Spinnaker) that Kiln cannot run yet: it keeps the
 * original JSON so nothing is lost, the pipeline can be saved and looked at, and a run is refused
 * naming it until someone replaces it.
 */
export const placeholderStage = defineStage({
  label: 'Placeholder',
  description: 'An imported stage Kiln cannot run yet, kept with its original settings; the pipeline saves, but will not run until it is replaced or removed.',
  config: z.object({
    /** The type it had where it came from, e.g. `deployManifest`. */
    sourceType: z.string().trim().min(1).max(200),
    /** Where it came from. */
    source: z.enum(['spinnaker']).default('spinnaker'),
    /** Why Kiln cannot run it, for the person replacing it. */
    reason: z.string().max(1000).default(''),
    original: z.record(z.string(), z.unknown()).default({}),
  }),
  notInPalette: true,
  defaults: { sourceType: 'unknown', source: 'spinnaker', reason: '', original: {} },
});

/** The stages a run would stop at: every placeholder, by name and original type. */
export function placeholdersOf(stages: ReadonlyArray<{ type: string; name: string; config: Record<string, unknown> }>): string[] {
  return stages.filter((s) => s.type === 'placeholder').map((s) => `${s.name} (${String(s.config.sourceType ?? 'unknown')})`);
}
