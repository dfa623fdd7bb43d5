import type { ApplicationName } from '../domain/names';
import type { PipelineDraft, PipelineParameter, StageConfig } from '../domain/pipeline';
import { Fields, isObject, type Json } from './fields';
import { commonOf, ImportContext, type ImportOptions, type RecipeDraft } from './import-context';
import { mapSpinnakerStage } from './import-stages';
import { triggersOf } from './import-triggers';

export { quartzToCron } from './import-triggers';
export type { ImportOptions, RecipeDraft } from './import-context';

/**
 * A Spinnaker pipeline JSON (as Deck's "Edit as JSON" shows it) turned into a Kiln draft. Every
 * stage type Kiln has is mapped to Kiln's config; a stage Kiln cannot run yet becomes a
 * placeholder stage holding its original JSON (the draft saves; a run is refused naming it).
 * Whatever is not carried over is a warning with its JSON path, never dropped silently.
 */
export type SpinnakerImport =
  | {
      ok: true;
      draft: PipelineDraft;
      warnings: string[];
      /** Placeholder stages, as 'Name (spinnakerType)'. */
      placeholders: string[];
      summary: { stages: number; mapped: number; placeholders: number };
      recipeDrafts: RecipeDraft[];
      /** Generated webhook trigger secrets: shown here once, write-only afterwards. */
      secrets: Array<{ trigger: number; secret: string }>;
    }
  | { ok: false; error: string };

/** Real pipelines are tens of kilobytes; a file this big is not one, and parsing it would hold the page. */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

/** Spinnaker refIds are free text; Kiln's are letters, digits, _ and -. */
const cleanRef = (ref: string) => ref.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60) || '_';

/** Pipeline-level keys that are the pipeline itself or Deck's bookkeeping. */
const PIPELINE_KEYS = [
  'application',
  'name',
  'description',
  'stages',
  'triggers',
  'parameterConfig',
  'notifications',
  'limitConcurrent',
  'keepWaitingPipelines',
  'maxConcurrentExecutions',
  'disabled',
  'index',
  'lastModifiedBy',
  'updateTs',
  'id',
  'spelEvaluator',
  'appConfig',
];

function parametersOf(p: Fields[]): PipelineParameter[] {
  return p.map((f) => {
    const options = f.subs('options').flatMap((o) => (o.str('value') !== undefined ? [o.str('value')!] : []));
    const def = f.str('default');
    const required = f.bool('required') === true;
    f.take('pinned', 'constraint');
    // Spinnaker passes an optional parameter left empty as ''; in Kiln a parameter without a default must be given.
    const fallback = def !== undefined && def !== '' ? def : required ? undefined : '';
    return {
      name: f.str('name') ?? '',
      ...(f.str('label') ? { label: f.str('label')! } : {}),
      ...(f.str('description') ? { description: f.str('description')! } : {}),
      ...(fallback !== undefined ? { default: fallback } : {}),
      required,
      ...(f.bool('hasOptions') !== false && options.length > 0 ? { options } : {}),
    };
  });
}

/** Nearest stage before each stage that makes an image, walking Spinnaker's graph upwards. */
function imageSources(stages: Json[]): Map<string, string> {
  const byRef = new Map(stages.map((s, i) => [String(s.refId ?? i + 1), s]));
  const out = new Map<string, string>();
  for (const [ref, s] of byRef) {
    const seen = new Set<string>();
    let frontier = (Array.isArray(s.requisiteStageRefIds) ? s.requisiteStageRefIds : []).map(String);
    while (frontier.length > 0 && !out.has(ref)) {
      const next: string[] = [];
      for (const r of frontier) {
        if (seen.has(r)) continue;
        seen.add(r);
        const up = byRef.get(r);
        if (!up) continue;
        if (['bake', 'findImage', 'findImageFromCluster', 'findImageFromTags'].includes(String(up.type)) && !out.has(ref)) out.set(ref, r);
        next.push(...(Array.isArray(up.requisiteStageRefIds) ? up.requisiteStageRefIds.map(String) : []));
      }
      frontier = next;
    }
  }
  return out;
}

export function importSpinnakerPipeline(input: unknown, application: ApplicationName, options: ImportOptions = {}): SpinnakerImport {
  if (Array.isArray(input)) return { ok: false, error: 'this is a list of pipelines: import each one (importSpinnakerPipelines does)' };
  if (!isObject(input)) return { ok: false, error: 'a Spinnaker pipeline is a JSON object' };
  if (!Array.isArray(input.stages)) {
    const hint = isObject(input.pipeline) || isObject(input.template) ? ' (a pipeline template or a saved template config is not a pipeline)' : '';
    return { ok: false, error: `this is not a Spinnaker pipeline: it has no 'stages' list${hint}` };
  }
  if (input.stages.length > 2000) return { ok: false, error: `this pipeline has ${input.stages.length} stages; Kiln takes at most 2000` };
  const ctx = new ImportContext(options);
  const raw = input.stages.map((s) => (isObject(s) ? s : {}));
  input.stages.forEach((s, i) => {
    if (!isObject(s)) ctx.warn(`$.stages[${i}]`, 'not an object; imported as an empty placeholder');
  });

  // Names first: expressions and stage-status checks refer to stages by name.
  const names = new Set<string>();
  const nameOf = raw.map((s, i) => {
    const base = (typeof s.name === 'string' && s.name.trim()) || (typeof s.type === 'string' && s.type) || `Stage ${i + 1}`;
    let name = base;
    for (let n = 2; names.has(name); n++) name = `${base} ${n}`;
    if (name !== base) ctx.warn(`$.stages[${i}].name`, `a second stage named '${base}' is called '${name}': Kiln finds stages by name`);
    names.add(name);
    return name;
  });
  const originalRef = (s: Json, i: number) => String(s.refId ?? i + 1);
  const sources = imageSources(raw);
  const nameByRef = new Map(raw.map((s, i) => [originalRef(s, i), nameOf[i]!]));

  const taken = new Set<string>();
  const uniqueRef = (wanted: string) => {
    let ref = cleanRef(wanted);
    while (taken.has(ref)) ref = `${ref}_`;
    taken.add(ref);
    return ref;
  };
  const built = raw.map((s, i) => {
    const fields = new Fields(s, `$.stages[${i}]`);
    fields.take('refId', 'requisiteStageRefIds', 'type', 'name');
    const source = sources.get(originalRef(s, i));
    const mapped = mapSpinnakerStage({ fields, name: nameOf[i]!, ...(source ? { imageSource: nameByRef.get(source)! } : {}) }, ctx, names);
    const common = commonOf(fields, ctx, s.type === 'manualJudgment');
    for (const key of ['restrictExecutionDuringTimeWindow', 'restrictedExecutionWindow', 'skipWindowText']) {
      if (fields.isRead(key)) continue;
      fields.take(key);
      if (key === 'restrictExecutionDuringTimeWindow' && s[key] === true)
        ctx.warn(`${fields.path}.restrictedExecutionWindow`, 'execution windows are not kept: Kiln has no time windows; add a condition or a manual judgment');
    }
    if (!fields.isRead('notifications') && Array.isArray(s.notifications) && s.notifications.length > 0) {
      fields.take('notifications', 'sendNotifications');
      ctx.warn(`${fields.path}.notifications`, 'stage notifications not kept: Kiln notifies per pipeline (started, succeeded, failed, judgment)');
    }
    for (const left of fields.leftovers()) ctx.warn(left, 'not kept');
    const refs = mapped.map((m, j) => uniqueRef(j === 0 ? originalRef(s, i) : `${originalRef(s, i)}_${j + 1}`));
    return { s, i, mapped, refs, common };
  });
  const refsOf = new Map(built.map((b) => [originalRef(b.s, b.i), b.refs]));

  const stages: StageConfig[] = built.flatMap(({ s, i, mapped, refs, common }) => {
    const requisite = (Array.isArray(s.requisiteStageRefIds) ? s.requisiteStageRefIds : []).flatMap((r) => refsOf.get(String(r)) ?? [cleanRef(String(r))]);
    return mapped.map(
      (m, j): StageConfig => ({
        refId: refs[j]!,
        name: m.suffix ? `${nameOf[i]} (${m.suffix})` : nameOf[i]!,
        requisiteStageRefIds: requisite,
        type: m.type,
        config: m.config,
        failPolicy: 'halt_pipeline',
        ...common,
      }),
    );
  });

  // A Spinnaker stage that became several Kiln stages is checked as all of them.
  const fannedOut = new Map(built.filter((b) => b.mapped.length > 1).map((b) => [nameOf[b.i]!, b.mapped.map((m) => `${nameOf[b.i]} (${m.suffix})`)]));
  for (const stage of stages) {
    if (stage.type !== 'checkPreconditions' || !Array.isArray(stage.config.preconditions)) continue;
    stage.config.preconditions = stage.config.preconditions.flatMap((p: Record<string, unknown>) =>
      p.type === 'stageStatus' && fannedOut.has(String(p.stage)) ? fannedOut.get(String(p.stage))!.map((name) => ({ ...p, stage: name })) : [p],
    );
  }

  const pipeline = new Fields(input, '$');
  pipeline.take(...PIPELINE_KEYS);
  const notifications = Array.isArray(input.notifications) ? input.notifications : [];
  if (notifications.length > 0) {
    ctx.warn(
      '$.notifications',
      `${notifications.length} notification${notifications.length === 1 ? '' : 's'} (${notifications.map((n) => (isObject(n) ? String(n.type) : '?')).join(', ')}) not imported: Kiln notifies by HTTP POST to a URL`,
    );
  }
  if (Array.isArray(input.expectedArtifacts) && input.expectedArtifacts.length > 0) {
    pipeline.take('expectedArtifacts');
    ctx.warn(
      '$.expectedArtifacts',
      `${input.expectedArtifacts.length} expected artifact(s) not kept: Kiln passes images between stages as outputs (bake, find image) and trigger payloads`,
    );
  }
  const { triggers, secrets } = triggersOf(input.triggers, ctx);
  const parameters = parametersOf(pipeline.subs('parameterConfig'));
  for (const left of pipeline.leftovers()) ctx.warn(left, 'not kept');
  if (stages.some((s) => s.type === 'deploy' && s.config.image === '${ parameters.image }') && !parameters.some((p) => p.name === 'image')) {
    parameters.push({ name: 'image', label: 'Image to deploy (name:vN)', required: true });
  }
  const max = typeof input.maxConcurrentExecutions === 'number' && input.maxConcurrentExecutions > 0 ? input.maxConcurrentExecutions : 1;
  const draft: PipelineDraft = {
    application,
    name: (typeof input.name === 'string' && input.name.trim().slice(0, 200)) || 'Imported pipeline',
    description: typeof input.description === 'string' ? input.description.slice(0, 5000) : '',
    stages,
    triggers,
    parameters,
    notifications: [],
    concurrency: {
      limitConcurrent: input.limitConcurrent !== false,
      keepWaitingPipelines: input.keepWaitingPipelines === true,
      maxConcurrentExecutions: Math.min(100, Math.floor(max)),
    },
    disabled: input.disabled === true,
  };
  const placeholders = stages.filter((s) => s.type === 'placeholder').map((s) => `${s.name} (${String(s.config.sourceType)})`);
  return {
    ok: true,
    draft,
    warnings: ctx.warnings,
    placeholders,
    summary: { stages: stages.length, mapped: stages.length - placeholders.length, placeholders: placeholders.length },
    recipeDrafts: ctx.recipeDrafts,
    secrets,
  };
}

/** One line for people: "9 stages: 7 mapped, 2 placeholders (Deploy manifest (deployManifest), …)". */
export function describeImport(result: Extract<SpinnakerImport, { ok: true }>): string {
  const { stages, mapped, placeholders } = result.summary;
  const which = placeholders > 0 ? ` (${result.placeholders.join(', ')}): the pipeline saves, but runs once they are replaced` : '';
  return `${stages} stage${stages === 1 ? '' : 's'}: ${mapped} mapped, ${placeholders} placeholder${placeholders === 1 ? '' : 's'}${which}; ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}`;
}

/** A file holding one pipeline or a list of them (Spinnaker's API answers lists): each imported on its own. */
export function importSpinnakerPipelines(input: unknown, application: ApplicationName, options: ImportOptions = {}): SpinnakerImport[] {
  if (!Array.isArray(input)) return [importSpinnakerPipeline(input, application, options)];
  if (input.length === 0) return [{ ok: false, error: 'the list of pipelines is empty' }];
  return input.map((p, i) => {
    const r = importSpinnakerPipeline(p, application, options);
    return r.ok ? r : { ok: false, error: `pipeline ${i + 1}: ${r.error}` };
  });
}

/** Size check on the text before it is parsed. */
export function importSizeProblem(bytes: number): string | undefined {
  if (bytes <= MAX_IMPORT_BYTES) return undefined;
  return `the file is ${(bytes / 1024 / 1024).toFixed(1)} MB; a Spinnaker pipeline is at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB (is this an export of many pipelines or of execution history?)`;
}
