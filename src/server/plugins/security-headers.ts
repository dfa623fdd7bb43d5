import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** The CSP hashes of index.html's inline scripts (the theme script that runs before first paint). */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
}

/**
 * Helmet's secure headers with a Content-Security-Policy that allows only this origin's scripts
 * (plus the hashed inline theme script), so injected markup cannot run code. Inline style
 * attributes stay allowed: React and the graph editor position elements with them.
 */
export async function securityHeaders(app: FastifyInstance, staticRoot: string | undefined): Promise<void> {
  let hashes: string[] = [];
  if (staticRoot) {
    try {
      hashes = inlineScriptHashes(readFileSync(join(staticRoot, 'index.html'), 'utf8'));
    } catch {
      hashes = [];
    }
  }
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...hashes],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // Plain http on loopback is the default install; HSTS would break it.
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'same-origin' },
  });
}
