import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

/** The CSP hashes of index.html's inline scripts (the theme script that runs before first paint). */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
}

/**
 * The headers helmet sets with these options, found once by asking it (on a throwaway server):
 * @fastify/helmet rebuilds helmet, parsing every CSP directive, on each request, which cost more
 * than the rest of a cached list request. The options are fixed, so the headers are too.
 */
async function helmetHeaders(options: Parameters<typeof helmet>[1]): Promise<Record<string, string>> {
  const probe = async (withHelmet: boolean) => {
    const server = Fastify({ logger: false });
    if (withHelmet) await server.register(helmet, options);
    server.get('/', async () => 'probe');
    const { headers } = await server.inject('/');
    await server.close();
    return headers;
  };
  const [bare, secured] = await Promise.all([probe(false), probe(true)]);
  const added = Object.entries(secured).filter(([name, value]) => bare[name] === undefined && value !== undefined);
  if (!added.some(([name]) => name === 'content-security-policy')) throw new Error('helmet set no Content-Security-Policy');
  return Object.fromEntries(added.map(([name, value]) => [name, String(value)]));
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
  const headers = await helmetHeaders({
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
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
