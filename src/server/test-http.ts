import { afterAll, beforeAll, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Execution } from '../shared/domain/execution';
import { openTestApp } from './test-app';

/**
 * For BFF route tests about pipelines and executions: one app (seeded, signed in as the test
 * admin) per file, a JSON call helper, pipeline creation, and a bounded wait for the engine.
 */
export function useExecutionApi() {
  let app: FastifyInstance | undefined;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => ({ app, close } = await openTestApp()));
  afterAll(() => close?.());

  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await app!.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as string | object }) });
    return { status: res.statusCode, body: res.json() };
  };

  return {
    get app(): FastifyInstance {
      return app!;
    },
    call,
    async pipelineWith(name: string, stages: unknown[], extra: Record<string, unknown> = {}): Promise<string> {
      const { status, body } = await call('POST', '/api/applications/web/pipelines', { name, stages, ...extra });
      expect(status).toBe(201);
      return body.id as string;
    },
    /** The engine works in the background after a request; wait (bounded) until the execution shows it. */
    async until(id: string, ok: (e: Execution) => boolean, tries = 100): Promise<Execution> {
      for (let i = 0; i < tries; i += 1) {
        const execution = Execution.parse((await call('GET', `/api/executions/${id}`)).body);
        if (ok(execution)) return execution;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`execution ${id} never reached the expected state`);
    },
  };
}
