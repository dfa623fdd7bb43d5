/**
 * What a CI or git host's webhook says about the build, in one shape for expressions
 * (`trigger.commit`, `trigger.branch`, `trigger.buildNumber`): GitHub push and release events,
 * GitLab push and tag events, and Jenkins' Notification plugin ("build finished").
 */
export interface CiFacts {
  commit?: string;
  branch?: string;
  tag?: string;
  buildNumber?: number;
  buildUrl?: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function fromRef(ref: string | undefined): Pick<CiFacts, 'branch' | 'tag'> {
  if (!ref) return {};
  if (ref.startsWith('refs/heads/')) return { branch: ref.slice('refs/heads/'.length) };
  if (ref.startsWith('refs/tags/')) return { tag: ref.slice('refs/tags/'.length) };
  return {};
}

const defined = (facts: CiFacts): CiFacts => Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) as CiFacts;

export function ciFacts(payload: unknown): CiFacts {
  const p = obj(payload);
  // Jenkins Notification plugin: { name, build: { number, phase, status, full_url, scm: { commit, branch } } }.
  const build = obj(p.build);
  if (typeof build.number === 'number') {
    const scm = obj(build.scm);
    return defined({ buildNumber: build.number, buildUrl: text(build.full_url), commit: text(scm.commit), branch: text(scm.branch)?.replace(/^origin\//, '') });
  }
  // GitHub release: { action, release: { tag_name, target_commitish } }.
  const release = obj(p.release);
  if (text(release.tag_name)) return defined({ tag: text(release.tag_name), branch: text(release.target_commitish) });
  // GitHub push: { ref, after }; GitLab push/tag: { ref, checkout_sha }.
  return defined({ commit: text(p.checkout_sha) ?? text(p.after), ...fromRef(text(p.ref)) });
}

/** A Jenkins notification is sent for each phase; only a finished build starts anything. */
export function jenkinsPhase(payload: unknown): string | undefined {
  const build = obj(obj(payload).build);
  return typeof build.number === 'number' ? text(build.phase) : undefined;
}
