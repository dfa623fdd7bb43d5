import { listPipelines } from '../../shared/api/pipelines';
import type { Pipeline } from '../../shared/domain/pipeline';
import type { Client } from '../client';
import { CliError, EXIT, usageError } from '../io';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A pipeline by id, or by `APP/NAME` (what people remember). */
export async function resolvePipelineId(client: Client, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref;
  const slash = ref.indexOf('/');
  if (slash <= 0) throw usageError(`PIPELINE must be a pipeline id or APP/NAME (e.g. storefront/Deploy), not '${ref}'`);
  const app = ref.slice(0, slash);
  const name = ref.slice(slash + 1);
  const pipelines: Pipeline[] = await client(listPipelines, { params: { application: app } });
  const found = pipelines.find((p) => p.name === name);
  if (!found) {
    const known = pipelines.map((p) => p.name).join(', ') || 'none';
    throw new CliError(`application '${app}' has no pipeline named '${name}' (it has: ${known})`, EXIT.failed);
  }
  return found.id;
}

/** `name=value` pairs from repeated -p flags. */
export function parameterPairs(values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of values ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usageError(`-p takes name=value, not '${pair}'`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
