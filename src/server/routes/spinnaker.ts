import type { FastifyInstance } from 'fastify';
import { convertSpinnakerPipeline } from '../../shared/api/spinnaker';
import { ApplicationName } from '../../shared/domain/names';
import { describeImport, importSpinnakerPipelines } from '../../shared/spinnaker/import';
import type { AppDeps } from '../deps';
import { HttpError } from '../plugins/error-handler';
import { registerEndpoint } from './register';

/** The Spinnaker importer as an API: the same conversion the CLI and the editor run, with Kiln's recipes known. */
export async function spinnakerRoutes(app: FastifyInstance, { repos }: AppDeps): Promise<void> {
  registerEndpoint(app, convertSpinnakerPipeline, async ({ params, body }) => {
    const application = ApplicationName.safeParse(params.application);
    if (!application.success) throw new HttpError(400, 'bad_request', application.error.issues[0]?.message ?? 'not an application name', 'application');
    if (!(await repos.applications.get(application.data))) throw new HttpError(404, 'not_found', `Application '${params.application}' does not exist.`, 'application');
    const recipes = (await repos.recipes.list()).map((r) => r.name);
    const ciServers = (await repos.ciServers.list()).map((c) => c.name);
    const results = importSpinnakerPipelines(body.pipeline, application.data, { accounts: body.accounts, regions: body.regions, recipes, ciServers });
    return { results: results.map((r) => (r.ok ? { ...r, description: describeImport(r) } : r)) };
  });
}
