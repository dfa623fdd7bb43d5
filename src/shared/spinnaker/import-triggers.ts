import type { ApplicationName } from '../domain/names';
import type { Trigger } from '../domain/pipeline';
import { Fields, isObject } from './fields';
import type { ImportContext } from './import-context';
import { TriggerLiterals } from './import-trigger-literal';

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

/** A webhook secret nobody has seen yet: shown once in the import's answer, then write-only like any other. */
export function generateSecret(): string {
  const bytes = new Uint8Array(24);
  // Web Crypto is in browsers and Node 20 alike; shared code is typed without either's library.
  (globalThis as unknown as { crypto: { getRandomValues: (a: Uint8Array) => Uint8Array } }).crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Trigger kinds Kiln does not have yet, and what to use meanwhile. */
const NOT_YET: Record<string, string> = {
  travis: 'Kiln has no CI triggers yet: use a webhook trigger',
  pubsub: 'Kiln has no pub/sub trigger: use a webhook trigger',
  artifactory: 'Kiln has no Artifactory trigger: use a webhook trigger',
  helm: 'Kiln has no Helm trigger: use a webhook trigger',
};

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A git push or a finished Jenkins build, as constraints on the payload its webhook sends. */
function ciConstraints(f: Fields, ctx: ImportContext, lit: TriggerLiterals): Record<string, string> | undefined {
  if (f.str('type') === 'jenkins') {
    const job = lit.constraint(f.str('job') ?? '', `${f.path}.job`);
    if (f.str('propertyFile')) ctx.warn(`${f.path}.propertyFile`, 'not kept: a Jenkins notification carries no properties file; read the build from trigger.payload');
    // Spinnaker fires on a successful build; the Notification plugin's payload names the job and its status.
    return { ...(job !== undefined ? { name: escapeRegex(job) } : {}), 'build.status': 'SUCCESS' };
  }
  const source = f.str('source') ?? 'github';
  const [project, slug] = [lit.constraint(f.str('project') ?? '', `${f.path}.project`), lit.constraint(f.str('slug') ?? '', `${f.path}.slug`)];
  const repo = project !== undefined && slug !== undefined ? `${project}/${slug}` : undefined;
  const branch = lit.constraint(f.str('branch'), `${f.path}.branch`);
  const field = source === 'github' ? 'repository.full_name' : source === 'gitlab' ? 'project.path_with_namespace' : undefined;
  if (!field) {
    f.take(...Object.keys(f.raw));
    ctx.warn(f.path, `git triggers from '${source}' are not supported (GitHub and GitLab are); not imported`);
    return undefined;
  }
  // Spinnaker's branch is a regular expression over the branch name; Kiln's constraint is over the pushed ref.
  return { ...(repo !== undefined ? { [field]: escapeRegex(repo) } : {}), ...(branch ? { ref: `refs/heads/(?:${branch})` } : {}) };
}

/**
 * A Docker registry trigger watches Kiln's own registry instead: the image named like the
 * repository's last part, every new version (channel `latest`); Spinnaker's tag pattern becomes
 * the version pattern, which Kiln matches against its version labels (v1, v2, …).
 */
function registryTriggerOf(f: Fields, ctx: ImportContext, lit: TriggerLiterals): Omit<Extract<Trigger, { type: 'registry' }>, 'enabled'> | undefined {
  const repository = lit.of(f.str('repository'), `${f.path}.repository`) ?? '';
  const image = repository.split('/').pop()?.trim().toLowerCase() ?? '';
  f.take('repository', 'organization', 'registry', 'account', 'id');
  if (!image) {
    ctx.warn(`${f.path}.repository`, 'a docker trigger without a repository names no image; trigger not imported');
    return undefined;
  }
  const where = [f.str('registry'), f.str('account') && `account ${f.str('account')}`].filter(Boolean).join(', ');
  ctx.warn(
    f.path,
    `docker trigger imported as a registry trigger on Kiln's image '${image}' (from repository '${repository}'${where ? ` on ${where}` : ''}): it starts a run when a version of that image is added to Kiln's registry; trigger.image and trigger.version name it`,
  );
  const tag = lit.constraint(f.str('tag'), `${f.path}.tag`);
  f.take('tag');
  if (!tag) return { type: 'registry', image, channel: 'latest' };
  try {
    new RegExp(tag);
  } catch {
    ctx.warn(`${f.path}.tag`, `'${tag}' is not a regular expression; not kept (every version starts a run)`);
    return { type: 'registry', image, channel: 'latest' };
  }
  ctx.warn(`${f.path}.tag`, `kept as the version pattern '${tag}': Kiln's versions are v1, v2, …, not Docker tags, so check it still matches what it should`);
  return { type: 'registry', image, channel: 'latest', versionRegex: tag };
}

export interface ImportedTriggers {
  triggers: Trigger[];
  /** Secrets the importer made up, by trigger index: the only time they are shown. */
  secrets: Array<{ trigger: number; secret: string }>;
}

export function triggersOf(raw: unknown, ctx: ImportContext): ImportedTriggers {
  const triggers: Trigger[] = [{ type: 'manual', enabled: true }];
  const secrets: ImportedTriggers['secrets'] = [];
  for (const [i, t] of (Array.isArray(raw) ? raw : []).entries()) {
    const path = `$.triggers[${i}]`;
    if (!isObject(t)) {
      ctx.warn(path, 'not an object; not imported');
      continue;
    }
    const f = new Fields(t, path);
    const lit = new TriggerLiterals(ctx, path);
    const type = f.str('type');
    const enabled = f.bool('enabled') !== false;
    f.take('user', 'runAsUser', 'rebake', 'description');
    if (f.str('runAsUser')) ctx.warn(`${path}.runAsUser`, 'not kept: an automatic trigger runs as the person who saves it');
    if (type === 'cron') {
      const quartz = lit.of(f.str('cronExpression') ?? '', `${path}.cronExpression`);
      const expression = quartz === undefined ? undefined : quartzToCron(quartz);
      const timezone = lit.constraint(f.str('timezone'), `${path}.timezone`) ?? 'UTC';
      f.take('id', 'cronExpression');
      if (expression) triggers.push({ type: 'cron', enabled: lit.enabled(enabled), expression, timezone });
      else ctx.warn(`${path}.cronExpression`, `'${String(t.cronExpression)}' has no five-field cron equivalent; trigger not imported`);
    } else if (type === 'pipeline') {
      const statuses = (f.strings('status').length ? f.strings('status') : ['successful']).flatMap((s) => {
        if (STATUS[s]) return [STATUS[s]!];
        ctx.warn(`${path}.status`, `'${s}' is not a status a pipeline ends in (successful, failed, canceled); not kept`);
        return [];
      });
      const [application, pipeline] = [lit.of(f.str('application') ?? '', `${path}.application`), lit.of(f.str('pipeline') ?? '', `${path}.pipeline`)];
      if (application === undefined || pipeline === undefined) {
        ctx.warn(path, 'pipeline trigger not imported: it must name the pipeline it watches');
        continue;
      }
      triggers.push({ type: 'pipeline', enabled, application: application as ApplicationName, pipeline, statuses: statuses.length ? statuses : ['succeeded'] });
    } else if (type === 'git' || type === 'jenkins') {
      const constraints = ciConstraints(f, ctx, lit);
      if (!constraints) continue;
      const secret = generateSecret();
      secrets.push({ trigger: triggers.length, secret });
      triggers.push({ type: 'webhook', enabled: lit.enabled(enabled), secret, payloadConstraints: constraints });
      f.take('secret', 'master', 'job', 'project', 'slug', 'branch', 'source');
      ctx.warn(
        path,
        type === 'git'
          ? `git trigger imported as a webhook trigger with a generated secret (shown once): add it to the repository's webhook (GitHub: content type application/json; GitLab: secret token) with the URL /api/pipelines/<id>/webhook`
          : `Jenkins trigger imported as a webhook trigger with a generated secret (shown once): Jenkins' Notification plugin posts the finished build (JSON) to /api/pipelines/<id>/webhook with X-Kiln-Signature`,
      );
    } else if (type === 'docker') {
      const registry = registryTriggerOf(f, ctx, lit);
      if (registry) triggers.push({ ...registry, enabled: lit.enabled(enabled) });
    } else if (type === 'webhook') {
      // Spinnaker's webhooks are open to anyone who knows the URL; Kiln's are signed with a shared secret.
      const secret = generateSecret();
      secrets.push({ trigger: triggers.length, secret });
      f.take('source');
      const constraints = f.sub('payloadConstraints');
      const payloadConstraints = Object.fromEntries(
        Object.entries(constraints.raw).flatMap(([k, v]) => {
          const [key, value] = [lit.constraint(k, `${constraints.path}.${k}`), lit.constraint(String(v), `${constraints.path}.${k}`)];
          return key !== undefined && value !== undefined ? [[key, value]] : [];
        }),
      );
      constraints.take(...Object.keys(constraints.raw));
      triggers.push({ type: 'webhook', enabled: lit.enabled(enabled), secret, ...(Object.keys(payloadConstraints).length ? { payloadConstraints } : {}) });
      ctx.warn(path, `webhook trigger gets a generated secret (shown once in this import); senders sign the body with it (X-Kiln-Signature) at /api/pipelines/<id>/webhook`);
    } else {
      f.take(...Object.keys(t));
      ctx.warn(path, NOT_YET[String(type)] ?? `'${String(type)}' triggers do not exist in Kiln; not imported`);
      continue;
    }
    for (const left of f.leftovers()) ctx.warn(left, 'not kept');
  }
  return { triggers, secrets };
}
