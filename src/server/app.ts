import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppDeps } from './deps';
import { errorHandler } from './plugins/error-handler';
import { inputGuard } from './plugins/input-guard';
import { openApi, openApiRoute } from './plugins/openapi';
import { staticFiles } from './plugins/static';
import { systemRoutes } from './routes/system';
import { projectRoutes } from './routes/projects';
import { applicationRoutes } from './routes/applications';
import { clusterRoutes } from './routes/clusters';
import { accountRoutes } from './routes/accounts';
import { ciServerRoutes } from './routes/ci-servers';
import { serverGroupRoutes } from './routes/server-groups';
import { instanceRoutes } from './routes/instances';
import { localProviders, createEventBus, createEngine } from '../engine/index';
import { provisioningRoutes } from './routes/provisioning';
import { pipelineRoutes } from './routes/pipelines';
import { pipelineManagementRoutes } from './routes/pipeline-management';
import { spinnakerRoutes } from './routes/spinnaker';
import { eventRoutes } from './routes/events';
import { executionRoutes } from './routes/executions';
import { triggerRoutes } from './routes/triggers';
import { approvalRoutes } from './routes/approvals';
import { authPlugin } from './plugins/auth';
import { auditLog } from './plugins/audit';
import { securityHeaders } from './plugins/security-headers';
import { authRoutes } from './routes/auth';
import { adminRoutes } from './routes/admin';
import { imageRoutes } from './routes/images';
import { searchRoutes } from './routes/search';
import { recipeRoutes } from './routes/recipes';
import { bakeRoutes } from './routes/bakes';

/** Request bodies above this are refused with 413 before they are parsed. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    // Route params carry server-group names up to 128 characters; the default cap is 100.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  // The BFF's own time for each answer (Resource Timing shows it beside the network's): the
  // benches tell server time from a loaded machine's scheduling this way, as devtools do.
  const startedAt = new WeakMap<object, number>();
  app.addHook('onRequest', async (request) => void startedAt.set(request, performance.now()));
  app.addHook('onSend', async (request, reply, payload) => {
    const started = startedAt.get(request);
    if (started !== undefined) reply.header('server-timing', `app;dur=${(performance.now() - started).toFixed(1)}`);
    return payload;
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  errorHandler(app);
  inputGuard(app);

  const now = deps.now ?? (() => new Date());
  await securityHeaders(app, deps.staticRoot);
  await authPlugin(app, { db: deps.db, repos: deps.repos, now });
  auditLog(app, { repos: deps.repos, now });

  await openApi(app, deps.version);
  // Each route module is its own encapsulated fastify plugin: a hook or decorator one adds stays in it.
  const routes = (register: (scope: FastifyInstance) => unknown) => app.register(async (scope) => void (await register(scope)));
  await routes((s) => authRoutes(s, deps, now));
  await routes((s) => adminRoutes(s, deps, now));
  openApiRoute(app);
  await routes((s) => systemRoutes(s, deps));
  await routes((s) => projectRoutes(s, deps));
  await routes((s) => applicationRoutes(s, deps));
  await routes((s) => clusterRoutes(s, deps));
  await routes((s) => accountRoutes(s, deps, now));
  await routes((s) => ciServerRoutes(s, deps, now));
  await routes((s) => provisioningRoutes(s));
  await routes((s) => pipelineRoutes(s, deps));
  await routes((s) => pipelineManagementRoutes(s, deps));
  await routes((s) => spinnakerRoutes(s, deps));
  const events = deps.events ?? createEventBus(deps.repos);
  const engine =
    deps.engine ??
    createEngine({ repos: deps.repos, events, ...(deps.cloud ? { cloud: localProviders(deps.repos, deps.cloud) } : {}), onError: (err) => app.log.error({ err }, 'engine') });
  // Work the engine started for a request must finish before the database closes under it.
  app.addHook('onClose', () => engine.stop());
  await routes((s) => eventRoutes(s, deps.repos, events, deps.sse));
  await routes((s) => executionRoutes(s, deps, engine));
  await routes((s) => triggerRoutes(s, deps, engine));
  await routes((s) => serverGroupRoutes(s, deps, engine));
  await routes((s) => instanceRoutes(s, deps, engine));
  await routes((s) => approvalRoutes(s, deps, engine));
  await routes((s) => imageRoutes(s, deps));
  await routes((s) => searchRoutes(s, deps));
  await routes((s) => recipeRoutes(s, deps));
  await routes((s) => bakeRoutes(s, deps, engine));
  await staticFiles(app, deps.staticRoot);
  await app.ready();
  return app;
}
