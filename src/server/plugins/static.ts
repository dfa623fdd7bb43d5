import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { ApiError } from '../../shared/api/endpoint';

/**
 * Serves the built SPA. Hashed assets are cached for a year; index.html never, so a new
 * deploy of Kiln is picked up on the next navigation. Unknown non-API paths fall back to
 * index.html (history-API routing); unknown /api paths stay JSON 404s.
 */
export async function staticFiles(app: FastifyInstance, root: string | undefined): Promise<void> {
  const hasSpa = root !== undefined && existsSync(join(root, 'index.html'));
  if (hasSpa) {
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      // Our own headers below; the plugin's default (max-age=0) would override them.
      cacheControl: false,
      setHeaders(res, path) {
        res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    app.get('/', (_req, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html'));
  }

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const wantsPage = request.method === 'GET' && !path.startsWith('/api') && hasSpa;
    if (wantsPage) {
      // A path with a file extension that is not on disk is a missing asset, not a page.
      if (/\.[a-z0-9]+$/i.test(path)) {
        return reply.status(404).type('text/plain').send('Not found');
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    const body: ApiError = { error: 'not_found', message: `No route ${request.method} ${path}.` };
    return reply.status(404).send(body);
  });
}
