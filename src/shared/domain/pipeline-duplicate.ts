import type { Pipeline, PipelineDraft, Trigger } from './pipeline';
import { urlHasCredentials } from './pipeline-secrets';
import { isCredentialHeader } from './stage-secrets';

export type DuplicateOptions = {
  application: string;
  name: string;
  by: string;
  at: string;
  newId: () => string;
  /** A fresh webhook secret: the source's is never copied (whoever reads the copy could sign its webhooks). */
  newSecret: () => string;
};

export type Duplicate = {
  draft: PipelineDraft;
  webhookSecrets: Array<{ triggerId: string; secret: string }>;
  /** What was left behind, in words ("notification https://… (it holds credentials)"). */
  notCopied: string[];
};

/** "Deploy (copy)", "Deploy (copy 2)", … — the first name `taken` does not hold. */
export function copyName(name: string, taken: ReadonlySet<string>): string {
  const base = `${name} (copy)`.slice(0, 200);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const next = `${name} (copy ${n})`.slice(0, 200);
    if (!taken.has(next)) return next;
  }
}

/**
 * The copy of `source` to store. Every trigger comes over disabled (a copy must not start running by
 * itself: turning one on is a change that needs EXECUTE), owned by the copier, with new ids. Write-only
 * secrets never cross into another application, where the copier may hold only READ on the source:
 * credential headers of webhook stages and notifications whose URL holds credentials stay behind.
 */
export function duplicatePipeline(source: Pipeline, o: DuplicateOptions): Duplicate {
  const sameApplication = source.application === o.application;
  const webhookSecrets: Duplicate['webhookSecrets'] = [];
  const notCopied: string[] = [];
  const triggers = source.triggers.map((t): Trigger => {
    const id = o.newId();
    if (t.type === 'manual') return { type: 'manual', enabled: t.enabled, id };
    const { runAs: _r, setAt: _s, ...rest } = t;
    if (rest.type === 'webhook') {
      const { secret: _secret, secretSet: _set, secretSetAt: _at, secretSetBy: _by, ...hook } = rest;
      const secret = o.newSecret();
      webhookSecrets.push({ triggerId: id, secret });
      return { ...hook, id, enabled: false, secret, secretSetAt: o.at, secretSetBy: o.by, runAs: o.by, setAt: o.at };
    }
    return { ...rest, id, enabled: false, runAs: o.by, setAt: o.at };
  });
  const stages = source.stages.map((s) => {
    const headers = s.type === 'webhook' ? (s.config.headers as Record<string, unknown> | undefined) : undefined;
    if (sameApplication || !headers || typeof headers !== 'object') return s;
    const kept = Object.fromEntries(Object.entries(headers).filter(([k]) => !isCredentialHeader(k)));
    for (const k of Object.keys(headers)) if (isCredentialHeader(k)) notCopied.push(`header '${k}' of stage '${s.name}' (a credential)`);
    return { ...s, config: { ...s.config, headers: kept } };
  });
  const notifications = source.notifications.filter((n) => {
    if (sameApplication || !urlHasCredentials(n.url)) return true;
    notCopied.push('a notification whose URL holds credentials');
    return false;
  });
  const { id: _id, revision: _rev, updatedAt: _ua, updatedBy: _ub, ...draft } = source;
  return { draft: { ...draft, application: o.application as PipelineDraft['application'], name: o.name, stages, triggers, notifications }, webhookSecrets, notCopied };
}
