import type { z } from 'zod';
import { ApiRequestError, callEndpoint, type CallOptions } from '../shared/api/client';
import type { Endpoint } from '../shared/api/endpoint';
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

/** One typed call per shared endpoint, through the dashboard's client; a refusal becomes a CliError with the server's own words. */
export function createClient(target: Target, fetchImpl: typeof fetch = fetch): Client {
  const client = { baseUrl: target.url, ...(target.token ? { token: target.token } : {}), send: (url: string, request: RequestInit) => fetchImpl(url, request) };
  return async <E extends Endpoint>(endpoint: E, call: Call = {}): Promise<z.output<E['response']>> => {
    try {
      return await callEndpoint(client, endpoint, call satisfies CallOptions);
    } catch (err) {
      throw err instanceof ApiRequestError ? cliErrorOf(err, target, endpoint) : err;
    }
  };
}

function cliErrorOf(err: ApiRequestError, target: Target, endpoint: Endpoint): CliError {
  if (err.code === 'network') return new CliError(`cannot reach Kiln at ${target.url}: ${err.detail ?? err.message}`, EXIT.unreachable);
  if (err.code === 'invalid_response') return new CliError(`the server's answer to ${endpoint.method} ${endpoint.path} does not match this kiln CLI's version`, EXIT.failed);
  // The BFF's own message and field; a page from something else in front of it, as it came.
  const said = err.detail ? (err.detail.trimStart().startsWith('<') ? `${err.message} Is ${target.url} a Kiln server?` : err.detail) : err.message;
  return new CliError(`HTTP ${err.status}: ${said}${err.field ? ` (field: ${err.field})` : ''}`, EXIT.failed);
}
