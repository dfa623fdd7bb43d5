import { StatusError } from './fake-store';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** RFC 7386: objects merge, null deletes, everything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: { [k: string]: Json } = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k] ?? null, v);
  }
  return out;
}

/**
 * Kubernetes' strategic merge patch for what Kiln sends: as a merge patch, except that lists of
 * objects with a `name` (containers, ports, env) merge by name instead of being replaced.
 */
export function strategicMergePatch(target: Json, patch: Json): Json {
  if (Array.isArray(patch) && Array.isArray(target) && patch.every(named) && target.every(named)) {
    const out = [...target] as Array<{ [k: string]: Json }>;
    for (const item of patch as Array<{ [k: string]: Json }>) {
      const at = out.findIndex((t) => t.name === item.name);
      if (at >= 0) out[at] = strategicMergePatch(out[at]!, item) as { [k: string]: Json };
      else out.push(item);
    }
    return out;
  }
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: { [k: string]: Json } = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = strategicMergePatch(out[k] ?? null, v);
  }
  return out;
}

const named = (v: Json) => v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v.name === 'string';

/** RFC 6902 with the operations clients send (add, remove, replace, test). */
export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw new StatusError(400, 'BadRequest', 'json patch must be an array of operations');
  let doc = structuredClone(target);
  for (const op of ops as Array<{ op: string; path: string; value?: Json }>) {
    const parts = op.path
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop();
    if (last === undefined) {
      doc = op.value ?? null;
      continue;
    }
    // biome-ignore lint/suspicious/noExplicitAny: walking arbitrary JSON
    let parent: any = doc;
    for (const p of parts) {
      if (parent?.[p] === undefined) throw new StatusError(422, 'Invalid', `the server rejected our request due to an error in our request: path ${op.path} does not exist`);
      parent = parent[p];
    }
    if (op.op === 'test') {
      if (JSON.stringify(parent[last]) !== JSON.stringify(op.value)) throw new StatusError(422, 'Invalid', `test operation failed at ${op.path}`);
    } else if (op.op === 'remove') {
      if (parent[last] === undefined) throw new StatusError(422, 'Invalid', `unable to remove nonexistent key: ${last}`);
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (op.op === 'add' && Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, op.value);
    else if (op.op === 'add' || op.op === 'replace') parent[last] = op.value;
    else throw new StatusError(422, 'Invalid', `unsupported json patch operation ${op.op}`);
  }
  return doc;
}
