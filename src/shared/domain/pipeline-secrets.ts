import type { Pipeline, PipelineDraft, PublicPipeline, PublicTrigger, Trigger } from './pipeline';
import type { PipelineProblem } from './pipeline-validate';
import { publicStage, SECRET_MASK } from './stage-secrets';

/**
 * Secrets in a pipeline are write-only: webhook trigger secrets and credentials inside notification
 * URLs. Every answer carries them masked; a save that sends the masked form back keeps what is
 * stored, so an editor (or a `kiln pipeline get | edit | save`) round-trips without knowing them.
 * One module for the BFF, the mocks and the dashboard.
 */
// Defined beside the stage secrets, which this module builds on, so the two do not import each other.
export { SECRET_MASK };

/** Query parameters that carry credentials by convention (Slack, Teams, signed URLs, API keys). */
const SECRET_PARAM = /token|secret|key|sig|pass|auth|credential|code/i;
/** A path segment that looks like a generated credential (Slack's and Discord's webhook URLs put one there). */
const SECRET_SEGMENT = /^(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}$/;

/** The URL with every credential in it replaced by SECRET_MASK; unchanged (byte for byte) when it has none. */
export function maskUrl(url: string): string {
  // By hand rather than with URL: shared code has no URL type, and re-serializing would change URLs without credentials.
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(url);
  if (!m) return url;
  const [, scheme, authority = '', path = '', query = '', fragment = ''] = m;
  const at = authority.lastIndexOf('@');
  let userinfo = at >= 0 ? authority.slice(0, at) : undefined;
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    // A lone user part is usually a token (https://TOKEN@host).
    userinfo = colon >= 0 ? `${userinfo.slice(0, colon)}:${SECRET_MASK}` : SECRET_MASK;
  }
  const host = at >= 0 ? authority.slice(at + 1) : authority;
  const maskedPath = path
    .split('/')
    .map((seg) => (SECRET_SEGMENT.test(seg) ? SECRET_MASK : seg))
    .join('/');
  const maskedQuery = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = (eq >= 0 ? pair.slice(0, eq) : pair).replace(/^\?/, '');
      return eq >= 0 && SECRET_PARAM.test(name) ? `${pair.slice(0, eq)}=${SECRET_MASK}` : pair;
    })
    .join('&');
  return `${scheme}${userinfo !== undefined ? `${userinfo}@` : ''}${host}${maskedPath}${maskedQuery}${fragment}`;
}

export const urlHasCredentials = (url: string): boolean => maskUrl(url) !== url;

/** Webhook, cron and pipeline triggers start runs on their own; a manual trigger only lets people with EXECUTE start one. */
export const isAutomatic = (t: Pick<Trigger, 'type'>): boolean => t.type !== 'manual';

// Stored triggers from before ids existed get one from their place, so the editor can send it back.
const withIds = (triggers: readonly Trigger[]): Trigger[] => triggers.map((t, i) => (t.id ? t : { ...t, id: `t${i}` }));

/** A trigger as the API answers it. */
export function publicTrigger(t: Trigger): PublicTrigger {
  if (t.type !== 'webhook') return t;
  const { secret: _secret, ...rest } = t;
  return { ...rest, secretSet: _secret !== undefined || t.secretSet === true };
}

/** A pipeline as every answer carries it: no webhook secret, notification credentials and webhook stage credential headers masked. */
export function publicPipeline(p: Pipeline): PublicPipeline {
  return {
    ...p,
    stages: p.stages.map(publicStage),
    triggers: withIds(p.triggers).map(publicTrigger),
    notifications: p.notifications.map((n) => ({ ...n, url: maskUrl(n.url) })),
  };
}

export type Stamp = { by: string; at: string; newId: () => string };

/** What a trigger does, without who set it up: two triggers with the same content are the same trigger. */
function content(t: Trigger): string {
  const { runAs: _r, setAt: _s, secretSet: _ss, secretSetAt: _sa, secretSetBy: _sb, ...rest } = t as Trigger & Record<string, unknown>;
  return JSON.stringify(rest, Object.keys(rest).sort());
}

export type TriggerMerge =
  | { ok: true; triggers: Trigger[] /** an automatic trigger was added, changed or removed */; changed: boolean }
  | { ok: false; problems: PipelineProblem[] };

/**
 * The triggers to store when `incoming` is saved over `stored` by `stamp.by`. An unchanged automatic
 * trigger keeps its owner (`runAs`); one that is new or changed (including one brought back by a
 * restore) gets the saver as owner. A webhook trigger without a secret keeps the stored one.
 */
export function mergeTriggers(incoming: readonly Trigger[], stored: readonly Trigger[], stamp: Stamp): TriggerMerge {
  const before = new Map(withIds(stored).map((t) => [t.id!, t]));
  const problems: PipelineProblem[] = [];
  let changed = false;
  const kept = new Set<string>();
  const claimed = new Set<string>();
  const triggers = incoming.map((raw, i): Trigger => {
    // An id matches once: sending one trigger twice must not copy its secret and owner onto a second trigger.
    const old = raw.id !== undefined && !claimed.has(raw.id) ? before.get(raw.id) : undefined;
    if (old) claimed.add(old.id!);
    let t: Trigger = { ...raw, id: old ? raw.id! : stamp.newId() };
    if (t.type === 'webhook') {
      const { secretSet: _s, ...rest } = t;
      if (rest.secret === undefined) {
        if (old?.type === 'webhook' && old.secret !== undefined) {
          t = { ...rest, secret: old.secret, ...stampOf(old) };
        } else {
          problems.push({ path: `triggers[${i}].secret`, message: 'a webhook trigger needs a shared secret (16+ characters): none is stored for this one' });
          return t;
        }
      } else if (old?.type === 'webhook' && old.secret === rest.secret) {
        t = { ...rest, ...stampOf(old) };
      } else {
        t = { ...rest, secretSetAt: stamp.at, secretSetBy: stamp.by };
      }
    }
    if (!isAutomatic(t)) return t;
    if (old && content(old) === content(t)) {
      kept.add(old.id!);
      return { ...t, ...(old.type !== 'manual' && old.runAs ? { runAs: old.runAs } : {}), ...(old.type !== 'manual' && old.setAt ? { setAt: old.setAt } : {}) };
    }
    changed = true;
    return { ...t, runAs: stamp.by, setAt: stamp.at } as Trigger;
  });
  if (problems.length > 0) return { ok: false, problems };
  if ([...before.values()].some((t) => isAutomatic(t) && !kept.has(t.id!))) changed = true;
  return { ok: true, triggers, changed };
}

const stampOf = (t: Extract<Trigger, { type: 'webhook' }>) => ({
  ...(t.secretSetAt ? { secretSetAt: t.secretSetAt } : {}),
  ...(t.secretSetBy ? { secretSetBy: t.secretSetBy } : {}),
});

type Notification = PipelineDraft['notifications'][number];

/**
 * Notifications to store: a URL sent back masked takes the stored URL it masks (with its stamp);
 * a URL with new credentials is stamped with who set them and when.
 */
export function mergeNotifications(
  incoming: readonly Notification[],
  stored: readonly Notification[],
  stamp: Omit<Stamp, 'newId'>,
): { ok: true; notifications: Notification[] } | { ok: false; problems: PipelineProblem[] } {
  const problems: PipelineProblem[] = [];
  const notifications = incoming.map((raw, i): Notification => {
    const { credentialsSetAt: _a, credentialsSetBy: _b, ...n } = raw;
    const same = stored.find((s) => s.url === n.url) ?? (n.url.includes(SECRET_MASK) ? stored.find((s) => maskUrl(s.url) === n.url) : undefined);
    if (same) {
      return {
        ...n,
        url: same.url,
        ...(same.credentialsSetAt ? { credentialsSetAt: same.credentialsSetAt } : {}),
        ...(same.credentialsSetBy ? { credentialsSetBy: same.credentialsSetBy } : {}),
      };
    }
    if (n.url.includes(SECRET_MASK)) {
      problems.push({
        path: `notifications[${i}].url`,
        message: `the URL holds a hidden credential (${SECRET_MASK}) that matches no stored notification: type the credential again`,
      });
      return n;
    }
    return urlHasCredentials(n.url) ? { ...n, credentialsSetAt: stamp.at, credentialsSetBy: stamp.by } : n;
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, notifications };
}
