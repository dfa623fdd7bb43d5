import fastifyCookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Kiln's cookies without @fastify/cookie's per-request hooks: as a plugin it parsed every request's
 * cookies into a new object and gave every reply a Map of cookies to set, with an onSend hook to
 * write them, although three routes set a cookie and scripts, monitors and the dashboard's API
 * calls with a token send none. The same `cookie` package parses and serializes them, with the
 * plugin's defaults, so the headers are byte for byte what the plugin sent.
 */

export type CookieOptions = NonNullable<Parameters<typeof fastifyCookie.serialize>[2]>;

/** What a request without a Cookie header reads: shared, and frozen so no request can add to another's. */
const NO_COOKIES: FastifyRequest['cookies'] = Object.freeze({});

/** The request's cookies, parsed only when it sent some (the auth hook calls it once per request). */
export function parseCookies(request: FastifyRequest): FastifyRequest['cookies'] {
  const header = request.headers.cookie;
  return header ? fastifyCookie.parse(header) : NO_COOKIES;
}

/** Adds a Set-Cookie header as the plugin's reply.setCookie did: SameSite=Lax unless the options say otherwise. */
export function setCookie(reply: FastifyReply, name: string, value: string, options: CookieOptions): void {
  reply.header('set-cookie', fastifyCookie.serialize(name, value, { sameSite: 'lax', ...options }));
}

/** Tells the browser to drop a cookie, as the plugin's reply.clearCookie did (path `/` unless given). */
export function clearCookie(reply: FastifyReply, name: string, options: CookieOptions = {}): void {
  setCookie(reply, name, '', { path: '/', ...options, expires: new Date(0), maxAge: 0 });
}
