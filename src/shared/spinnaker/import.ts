import type { ApplicationName } from '../domain/names';
import type { PipelineDraft, PipelineParameter, StageConfig, Trigger } from '../domain/pipeline';
import { isStageType } from '../stages/registry';
import { mapSpinnakerStage } from './import-stages';

/**
 * A Spinnaker pipeline JSON (as Deck's "Edit as JSON" shows it) turned into a Kiln draft. Stage
 * types Kiln knows are mapped to Kiln's config; any other stage is kept as is — its original JSON
 * under `config.spinnaker` and its Spinnaker type — so the editor shows it as "unsupported" and
 * validation refuses the save until someone replaces it. Whatever else cannot be carried over is
 * named in `warnings`, never dropped silently.
 */
export type SpinnakerImport = { ok: true; draft: PipelineDraft; warnings: string[]; unsupported: string[] } | { ok: false; error: string };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** Spinnaker refIds are free text; Kiln's are letters, digits, _ and -. */
const cleanRef = (ref: string) => ref.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || '_';

const QUARTZ_DAYS: Record<string, number> = { SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6 };

/** Quartz (seconds first, `?`, Sunday = 1) to five-field cron; undefined for what cron cannot say (L, W, #). */
export function quartzToCron(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length < 6 || fields.length > 7) return undefined;
  const [, minute, hour, day, month, weekday] = fields as [string, string, string, string, string, string];
  if ([minute, hour, day, month, weekday].some((f) => /[LW#]/.test(f))) return undefined;
  const dow = weekday
    .toUpperCase()
    .replace(/[A-Z]{3}/g, (d) => String(QUARTZ_DAYS[d] ?? d))
    .replace(/\?/g, '*');
  // Only numbers written in Quartz's 1–7 numbering shift; names were converted to 0–6 already.
  const shifted = /[A-Z]/i.test(weekday) ? dow : dow.replace(/\d+/g, (n) => String(Number(n) - 1));
  return [minute, hour, day.replace('?', '*'), month, shifted].join(' ');
}

const STATUS: Record<string, 'succeeded' | 'failed' | 'canceled'> = { successful: 'succeeded', failed: 'failed', canceled: 'canceled' };

function triggersOf(raw: unknown, warnings: string[]): Trigger[] {
  const triggers: Trigger[] = [{ type: 'manual', enabled: true }];
  for (const [i, t] of (Array.isArray(raw) ? raw : []).entries()) {
    if (!isObject(t)) continue;
    const enabled = t.enabled !== false;
    if (t.type === 'cron') {
      const expression = quartzToCron(str(t.cronExpression) ?? '');
      if (expression) triggers.push({ type: 'cron', enabled, expression, timezone: str(t.timezone) ?? 'UTC' });
      else warnings.push(`trigger ${i + 1}: cron expression '${str(t.cronExpression)}' has no five-field equivalent; not imported`);
    } else if (t.type === 'pipeline') {
      const statuses = (Array.isArray(t.status) ? t.status : ['successful']).flatMap((s) => (STATUS[String(s)] ? [STATUS[String(s)]!] : []));
      triggers.push({ type: 'pipeline', enabled, application: (str(t.application) ?? '') as ApplicationName, pipeline: str(t.pipeline) ?? '', statuses: statuses.length ? statuses : ['succeeded'] });
    } else if (t.type === 'webhook') {
      // Kiln's webhook triggers are authenticated by a shared secret Spinnaker does not have: left empty, so validation asks for one.
      triggers.push({ type: 'webhook', enabled, secret: '' });
      warnings.push(`trigger ${i + 1}: webhook trigger needs a shared secret (16+ characters) in Kiln`);
    } else {
      warnings.push(`trigger ${i + 1}: '${String(t.type)}' triggers do not exist in Kiln; not imported`);
    }
  }
  return triggers;
}

function parametersOf(raw: unknown): PipelineParameter[] {
  return (Array.isArray(raw) ? raw : []).filter(isObject).map((p) => {
    const options = Array.isArray(p.options) ? p.options.flatMap((o) => (isObject(o) && str(o.value) !== undefined ? [str(o.value)!] : [])) : [];
    const def = str(p.default);
    return {
      name: str(p.name) ?? '',
      ...(str(p.label) ? { label: str(p.label)! } : {}),
      ...(str(p.description) ? { description: str(p.description)! } : {}),
      ...(def !== undefined && def !== '' ? { default: def } : {}),
      required: p.required === true,
      ...(p.hasOptions !== false && options.length > 0 ? { options } : {}),
    };
  });
}

export function importSpinnakerPipeline(input: unknown, application: ApplicationName): SpinnakerImport {
  if (!isObject(input)) return { ok: false, error: 'a Spinnaker pipeline is a JSON object' };
  if (!Array.isArray(input.stages)) return { ok: false, error: "this is not a Spinnaker pipeline: it has no 'stages' list" };
  const warnings: string[] = [];
  const unsupported: string[] = [];
  const refs = new Map<string, string>();
  const taken = new Set<string>();
  for (const [i, s] of input.stages.entries()) {
    const original = (isObject(s) && str(s.refId)) || String(i + 1);
    let ref = cleanRef(original);
    while (taken.has(ref)) ref = `${ref}_`;
    taken.add(ref);
    refs.set(original, ref);
  }
  const names = new Set<string>();
  const stages: StageConfig[] = input.stages.map((s, i): StageConfig => {
    const raw = isObject(s) ? s : {};
    const refId = refs.get((str(raw.refId) ?? String(i + 1))) ?? String(i + 1);
    let name = str(raw.name)?.trim() || str(raw.type) || `Stage ${i + 1}`;
    for (let n = 2; names.has(name); n++) name = `${str(raw.name)?.trim() || 'Stage'} ${n}`;
    names.add(name);
    const requisiteStageRefIds = (Array.isArray(raw.requisiteStageRefIds) ? raw.requisiteStageRefIds : []).map((r) => refs.get(String(r)) ?? cleanRef(String(r)));
    const mapped = mapSpinnakerStage(raw);
    if (!isStageType(mapped.type)) unsupported.push(`${name} (${mapped.type})`);
    warnings.push(...mapped.warnings.map((w) => `stage '${name}': ${w}`));
    return { refId, name, requisiteStageRefIds, type: mapped.type, config: mapped.config, failPolicy: 'halt_pipeline', ...mapped.common };
  });
  if (unsupported.length > 0) warnings.unshift(`${unsupported.length} stage type${unsupported.length === 1 ? '' : 's'} Kiln does not have, kept as unsupported stages: ${unsupported.join(', ')}`);
  const notifications = Array.isArray(input.notifications) ? input.notifications : [];
  if (notifications.length > 0) {
    warnings.push(`${notifications.length} notification${notifications.length === 1 ? '' : 's'} (${notifications.map((n) => (isObject(n) ? String(n.type) : '?')).join(', ')}) not imported: Kiln notifies by HTTP POST to a URL`);
  }
  const max = typeof input.maxConcurrentExecutions === 'number' && input.maxConcurrentExecutions > 0 ? input.maxConcurrentExecutions : 1;
  const draft: PipelineDraft = {
    application,
    name: str(input.name)?.trim() || 'Imported pipeline',
    description: str(input.description) ?? '',
    stages,
    triggers: triggersOf(input.triggers, warnings),
    parameters: parametersOf(input.parameterConfig),
    notifications: [],
    concurrency: {
      limitConcurrent: input.limitConcurrent !== false,
      keepWaitingPipelines: input.keepWaitingPipelines === true,
      maxConcurrentExecutions: Math.min(100, Math.floor(max)),
    },
    disabled: input.disabled === true,
  };
  return { ok: true, draft, warnings, unsupported };
}
