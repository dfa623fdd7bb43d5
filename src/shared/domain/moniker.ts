/**
 * Server-group and cluster names: `{app}-{stack}-{detail}-v{NNN}` (Spinnaker's Frigga rules,
 * lowercase only). The app and stack have no hyphen; the detail may; the sequence has 3+ digits.
 * `app`, `app-stack`, `app--detail` and `app-stack-detail-v001` all parse.
 */
export interface Moniker {
  app: string;
  stack: string | undefined;
  detail: string | undefined;
  /** `{app}[-{stack}][-{detail}]`: the server groups of one cluster share it. */
  cluster: string;
  /** The vNNN push number, when the name is a server-group name. */
  sequence: number | undefined;
}

export type MonikerResult = { ok: true; moniker: Moniker } | { ok: false; reason: string };

export const MAX_NAME_LENGTH = 128;
export const MAX_SEQUENCE = 999_999;

const APP = /^[a-z0-9][a-z0-9._]*$/;
const STACK = /^[a-z0-9._]*$/;
const DETAIL = /^[a-z0-9._~^-]*$/;
const SEQUENCE = /-v(\d{3,})$/;

export function parseMoniker(name: string): MonikerResult {
  if (name.length === 0) return fail('name is empty');
  if (name.length > MAX_NAME_LENGTH) return fail(`name is longer than ${MAX_NAME_LENGTH} characters`);
  if (/[A-Z]/.test(name)) return fail('name must be lowercase');
  if (/\s/.test(name)) return fail('name must not contain white space');

  let rest = name;
  let sequence: number | undefined;
  const seq = SEQUENCE.exec(name);
  if (seq?.[1] !== undefined) {
    sequence = Number(seq[1]);
    if (sequence > MAX_SEQUENCE) return fail(`sequence v${seq[1]} is above v${MAX_SEQUENCE}`);
    rest = name.slice(0, seq.index);
  }

  const [app = '', stack, ...detailParts] = rest.split('-');
  const detail = detailParts.length > 0 ? detailParts.join('-') : undefined;

  if (app === '') return fail('application part (before the first "-") is empty');
  if (!APP.test(app)) return fail(`application "${app}" may only hold a-z, 0-9, '.' and '_'`);
  if (stack !== undefined && !STACK.test(stack)) return fail(`stack "${stack}" may only hold a-z, 0-9, '.' and '_'`);
  if (detail !== undefined) {
    if (detail === '') return fail('name ends with "-" but has no detail after it');
    if (!DETAIL.test(detail)) return fail(`detail "${detail}" may only hold a-z, 0-9, '.', '_', '~', '^' and '-'`);
    if (detail.endsWith('-')) return fail('detail must not end with "-"');
  } else if (stack === '') {
    return fail('name ends with "-" but has no stack after it');
  }

  return {
    ok: true,
    moniker: {
      app,
      stack: stack === '' ? undefined : stack,
      detail,
      cluster: rest,
      sequence,
    },
  };
}

function fail(reason: string): MonikerResult {
  return { ok: false, reason };
}

/** Builds a cluster name; `app--detail` keeps the empty stack so the detail stays a detail. */
export function formatCluster(parts: { app: string; stack?: string | undefined; detail?: string | undefined }): string {
  const { app, stack, detail } = parts;
  if (detail) return `${app}-${stack ?? ''}-${detail}`;
  if (stack) return `${app}-${stack}`;
  return app;
}

export function formatSequence(sequence: number): string {
  return `v${String(sequence).padStart(3, '0')}`;
}

export function formatServerGroupName(parts: { app: string; stack?: string | undefined; detail?: string | undefined; sequence: number }): string {
  return `${formatCluster(parts)}-${formatSequence(parts.sequence)}`;
}

/** The next server-group name in a cluster: one past the highest sequence in use, v001 for a new cluster. */
export function nextServerGroupName(cluster: string, existingSequences: readonly number[]): string {
  const next = existingSequences.length === 0 ? 1 : Math.max(...existingSequences) + 1;
  return `${cluster}-${formatSequence(next)}`;
}
