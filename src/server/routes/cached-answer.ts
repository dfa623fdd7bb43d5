import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A serialized answer with its entity tag: built once per read-model version, sent as it is. */
export type CachedAnswer = { readonly json: string; readonly etag: string };

/**
 * The tag is a hash of the bytes, not of a version or of who asked: two callers (or two versions)
 * share a tag only when they would get the very same body, so a 304 can never stand in for an
 * answer someone may not see, whatever the browser's cache holds.
 */
export function cachedAnswer(json: string): CachedAnswer {
  return {
    json,
    etag: `"${createHash('sha1').update(json).digest('base64url')}"`,
  };
}

/** RFC 9110 §13.1.2: `*`, or a list of tags compared weakly (a `W/` prefix matches too). */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header === etag) return true;
  return header.split(',').some((raw) => {
    const tag = raw.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/**
 * Sends a cached answer: with its ETag, `private` (lists are filtered per caller, so no shared
 * cache may keep them) and `no-cache` (a browser asks again each time, and gets a bodiless 304 when
 * it already holds these bytes). Returns what the route hands to registerEndpoint: the JSON text
 * (sent as it is, never serialized again), or undefined after a 304.
 */
export function sendCached<T>(request: FastifyRequest, reply: FastifyReply, answer: CachedAnswer): T {
  reply.header('etag', answer.etag);
  reply.header('cache-control', 'private, no-cache');
  if (noneMatch(request.headers['if-none-match'], answer.etag)) {
    reply.code(304);
    return undefined as T;
  }
  reply.type('application/json; charset=utf-8');
  return answer.json as T;
}
