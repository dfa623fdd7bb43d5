import type { z } from 'zod';
import { ApiError, buildPath, type Endpoint } from '../../shared/api/endpoint';

/** What went wrong with a call to the BFF, in a shape the UI can branch on (404 vs retryable). */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';

  constructor(
    /** HTTP status; 0 when the server could not be reached at all. */
    readonly status: number,
    readonly code: ApiError['error'] | 'network' | 'invalid_response',
    message: string,
    /** The request field the server rejected, when it named one. */
    readonly field?: string,
  ) {
    super(message);
  }

  /** Worth retrying: the server may come back; a 4xx will answer the same again. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

export interface ApiFetchOptions<E extends Endpoint> {
  params?: z.input<E['params']>;
  query?: z.input<E['query']>;
  body?: z.input<E['body']>;
  signal?: AbortSignal;
}

/** Builds `/api/...?...` from the endpoint's path; undefined query values are left out, not sent as "undefined". */
export function endpointUrl<E extends Endpoint>(endpoint: E, options: Pick<ApiFetchOptions<E>, 'params' | 'query'>): string {
  const path = buildPath(endpoint.path, (options.params ?? {}) as Record<string, string | number>);
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries((options.query ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== null) search.set(key, String(value));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Calls one BFF endpoint and returns its parsed, typed answer; anything else is an ApiRequestError. */
export async function apiFetch<E extends Endpoint>(
  endpoint: E,
  options: ApiFetchOptions<E> = {},
): Promise<z.output<E['response']>> {
  const hasBody = options.body !== undefined;
  // Absolute, because Node's fetch (tests) has no page to resolve a relative URL against.
  const url = new URL(endpointUrl(endpoint, options), globalThis.location?.href ?? 'http://localhost/');
  let res: Response;
  try {
    res = await fetch(url, {
      method: endpoint.method,
      headers: hasBody ? { accept: 'application/json', 'content-type': 'application/json' } : { accept: 'application/json' },
      ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    // A cancelled query is not a failure; TanStack Query expects the abort error back.
    if (options.signal?.aborted) throw err;
    throw new ApiRequestError(0, 'network', 'Kiln’s server could not be reached. Check that it is running, then retry.');
  }
  if (!res.ok) throw await errorFrom(res);

  const json: unknown = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  const parsed = endpoint.response.safeParse(json);
  if (!parsed.success) {
    throw new ApiRequestError(
      res.status,
      'invalid_response',
      `The server sent an answer the dashboard does not understand (${endpoint.method} ${endpoint.path}).`,
    );
  }
  return parsed.data as z.output<E['response']>;
}

async function errorFrom(res: Response): Promise<ApiRequestError> {
  const body = ApiError.safeParse(await res.json().catch(() => undefined));
  if (body.success) return new ApiRequestError(res.status, body.data.error, body.data.message, body.data.field);
  // A proxy or crash page rather than the BFF's JSON: say what we know.
  const message =
    res.status >= 502 && res.status <= 504
      ? `Kiln’s server did not answer (HTTP ${res.status} from the proxy in front of it). Check that it is running, then retry.`
      : res.status >= 500
        ? `The server failed to answer (HTTP ${res.status}). Try again in a moment.`
        : `The request was refused (HTTP ${res.status}).`;
  return new ApiRequestError(res.status, res.status >= 500 ? 'internal' : 'bad_request', message);
}
