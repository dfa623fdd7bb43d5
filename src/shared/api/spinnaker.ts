import { z } from 'zod';
import { endpoint } from './endpoint';

const NameMap = z.record(z.string().min(1).max(200), z.string().trim().min(1).max(63)).default({});

/** One converted pipeline: the draft is not saved, the client saves it (createPipeline) once a person looked at it. */
const ConvertedPipeline = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    // Loosely typed on purpose: an imported draft may still be invalid (that is what the warnings and validation say).
    draft: z.looseObject({ name: z.string(), stages: z.array(z.looseObject({ refId: z.string(), type: z.string(), name: z.string() })) }),
    warnings: z.array(z.string()),
    placeholders: z.array(z.string()),
    summary: z.object({ stages: z.number().int(), mapped: z.number().int(), placeholders: z.number().int() }),
    /** One sentence: stages mapped, placeholders, warnings. */
    description: z.string(),
    recipeDrafts: z.array(
      z.object({
        name: z.string(),
        base: z.object({ type: z.literal('debian'), suite: z.string() }),
        provisioners: z.array(z.object({ type: z.literal('packages'), packages: z.array(z.string()) })),
        fromStage: z.string(),
      }),
    ),
    /** Generated webhook trigger secrets: this answer is the only place they are shown. */
    secrets: z.array(z.object({ trigger: z.number().int(), secret: z.string() })),
  }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);

export const convertSpinnakerPipeline = endpoint({
  method: 'POST',
  path: '/api/applications/:application/spinnaker-import',
  summary:
    "Convert a Spinnaker pipeline JSON (or a list of them) into Kiln drafts for this application, with Spinnaker account and region names mapped to Kiln's; nothing is saved",
  params: z.object({ application: z.string() }),
  body: z.object({
    pipeline: z.unknown().refine((p) => p !== undefined && p !== null, 'pipeline: give the Spinnaker pipeline JSON (an object, or a list of them)'),
    accounts: NameMap,
    regions: NameMap,
  }),
  response: z.object({ results: z.array(ConvertedPipeline) }),
});
