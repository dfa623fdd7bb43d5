import type { z } from 'zod';
import { callEndpoint, type HttpResponse } from '../../shared/api/client';
import type { Endpoint } from '../../shared/api/endpoint';

// The dashboard's callers import these from here; the client itself is shared with the CLI.
export { ApiRequestError, endpointUrl } from '../../shared/api/client';

export interface ApiFetchOptions<E extends Endpoint> {
  params?: z.input<E['params']>;
  query?: z.input<E['query']>;
  body?: z.input<E['body']>;
  signal?: AbortSignal;
  /** An answer already asked for (index.html's page-start request): read and checked like any other. */
  early?: Promise<HttpResponse>;
}

/** Calls one BFF endpoint with the page's session and returns its parsed, typed answer; anything else is an ApiRequestError. */
export function apiFetch<E extends Endpoint>(endpoint: E, options: ApiFetchOptions<E> = {}): Promise<z.output<E['response']>> {
  const { signal, early, ...call } = options;
  return callEndpoint(
    {
      // Absolute, because Node's fetch (tests) has no page to resolve a relative URL against.
      baseUrl: globalThis.location?.origin ?? 'http://localhost/',
      send: (url, request) => early ?? fetch(url, { ...request, ...(signal ? { signal } : {}) }),
      aborted: () => signal?.aborted === true,
    },
    endpoint,
    call as { params?: object; query?: object; body?: unknown },
  );
}
