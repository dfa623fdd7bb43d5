import type { z } from 'zod';
import { readApiError, type ApiErrorCode } from './api-error';
import { buildPath } from './build-path';
import type { Endpoint } from './endpoint';

/**
 * The one HTTP client for the BFF's endpoints: the dashboard (api-client.ts) and the CLI (cli/client.ts)
 * both call through it, so a path parameter, a query, a body, a refusal's message and field are handled
 * the same way for both. Each brings its own `send` (fetch, with the page's abort signal or a token)
 * and words a failure for its own audience.
 */

/** What went wrong with a call to the BFF, in a shape callers can branch on (404 vs retryable). */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';

  constructor(
    /** HTTP status; 0 when the server could not be reached at all. */
    readonly status: number,
    readonly code: ApiErrorCode | 'network' | 'invalid_response',
    message: string,
    /** The request field the server rejected, when it named one. */
    readonly field?: string,
    /** Why the server could not be reached, or the start of an answer that was not the BFF's JSON. */
    readonly detail?: string,
  ) {
    super(message);
  }

  /** Worth retrying: the server may come back; a 4xx will answer the same again. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

/** Only what the client needs of fetch: shared code has neither the DOM's nor Node's types. */
export interface HttpRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
}
export interface HttpResponse {
  ok: boolean;
  status: number;
  text(): Promise<string>;
}
export type Send = (url: string, request: HttpRequest) => Promise<HttpResponse>;

export interface CallOptions {
  params?: object;
  query?: object;
  body?: unknown;
}

export interface ClientTarget {
  /** Where the BFF is: the page's address, or the server the CLI logged in to. */
  baseUrl: string;
  token?: string;
  send: Send;
  /** Whether the caller cancelled the call (the dashboard's queries): then its error is passed on as it is. */
  aborted?: () => boolean;
}

/** Builds `/api/...?...` from the endpoint's path; undefined query values are left out, not sent as "undefined". */
export function endpointUrl(endpoint: Endpoint, options: Pick<CallOptions, 'params' | 'query'>): string {
  const path = buildPath(endpoint.path, (options.params ?? {}) as Record<string, string | number>);
  const qs = Object.entries(options.query ?? {})
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => `${formEncode(key)}=${formEncode(String(value))}`)
    .join('&');
  return qs ? `${path}?${qs}` : path;
}

// As a form (and URLSearchParams) would: the shared project has no URL types, as it has no DOM.
const formEncode = (text: string) => encodeURIComponent(text).replace(/%20/g, '+');

/** The scheme, host and port of the base: every endpoint path is absolute. */
const originOf = (baseUrl: string) => /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(baseUrl)?.[0] ?? baseUrl.replace(/\/+$/, '');

const why = (err: unknown): string => (err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err));

/** Calls one endpoint and returns its parsed, typed answer; anything else is an ApiRequestError. */
export async function callEndpoint<E extends Endpoint>(target: ClientTarget, endpoint: E, options: CallOptions = {}): Promise<z.output<E['response']>> {
  const hasBody = options.body !== undefined;
  const url = `${originOf(target.baseUrl)}${endpointUrl(endpoint, options)}`;
  let res: HttpResponse;
  try {
    res = await target.send(url, {
      method: endpoint.method,
      headers: {
        accept: 'application/json',
        ...(hasBody ? { 'content-type': 'application/json' } : {}),
        ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
      },
      ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch (err) {
    // A cancelled query is not a failure; TanStack Query expects the abort error back.
    if (target.aborted?.()) throw err;
    throw new ApiRequestError(0, 'network', 'Kiln’s server could not be reached. Check that it is running, then retry.', undefined, why(err));
  }
  const text = await res.text().catch(() => '');
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) throw errorFrom(res.status, json, text);
  const parsed = endpoint.response.safeParse(json);
  if (!parsed.success) {
    throw new ApiRequestError(res.status, 'invalid_response', `The server sent an answer this client does not understand (${endpoint.method} ${endpoint.path}).`);
  }
  return parsed.data as z.output<E['response']>;
}

function errorFrom(status: number, json: unknown, text: string): ApiRequestError {
  const body = readApiError(json);
  if (body) return new ApiRequestError(status, body.error, body.message, body.field);
  // A proxy or crash page rather than the BFF's JSON: say what we know.
  const message =
    status >= 502 && status <= 504
      ? `Kiln’s server did not answer (HTTP ${status} from the proxy in front of it). Check that it is running, then retry.`
      : status >= 500
        ? `The server failed to answer (HTTP ${status}). Try again in a moment.`
        : `The request was refused (HTTP ${status}).`;
  return new ApiRequestError(status, status >= 500 ? 'internal' : 'bad_request', message, undefined, text.slice(0, 300));
}
