import type { z } from 'zod';
import { ApiError, buildPath, type Endpoint } from '../shared/api/endpoint';
import { CliError, EXIT } from './io';

export interface Target {
  url: string;
  token?: string;
}

export interface Call {
  params?: Record<string, string | number>;
  query?: Record<string, string | undefined>;
  body?: unknown;
}

export type Client = <E extends Endpoint>(endpoint: E, call?: Call) => Promise<z.output<E['response']>>;

/** One typed call per shared endpoint; a refusal becomes a CliError with the server's own words. */
export function createClient(target: Target, fetchImpl: typeof fetch = fetch): Client {
  return async <E extends Endpoint>(endpoint: E, call: Call = {}): Promise<z.output<E['response']>> => {
    const url = new URL(buildPath(endpoint.path, call.params ?? {}), `${target.url}/`);
    for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    let res: Response;
    try {
      res = await fetchImpl(url, {
        method: endpoint.method,
        headers: {
          accept: 'application/json',
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
        },
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      });
    } catch (err) {
      const why = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      throw new CliError(`cannot reach Kiln at ${target.url}: ${why}`, EXIT.unreachable);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new CliError(`${target.url} answered HTTP ${res.status} with something that is not JSON; is it a Kiln server?`, EXIT.failed);
    }
    if (!res.ok) {
      const error = ApiError.safeParse(json);
      const detail = error.success ? `${error.data.message}${error.data.field ? ` (field: ${error.data.field})` : ''}` : text.slice(0, 300);
      throw new CliError(`HTTP ${res.status}: ${detail}`, EXIT.failed);
    }
    const parsed = endpoint.response.safeParse(json);
    if (!parsed.success) throw new CliError(`the server's answer to ${endpoint.method} ${url.pathname} does not match this kiln CLI's version`, EXIT.failed);
    return parsed.data as z.output<E['response']>;
  };
}
