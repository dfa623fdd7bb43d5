import type { FastifyInstance } from 'fastify';
import { renderProvisioning, translateButaneToIgnition } from '../../shared/api/provisioning';
import { renderProvisioning as render } from '../../shared/provisioning/render';
import { translateButane } from '../../shared/provisioning/translate-butane';
import { uploadedFilesDir } from '../../shared/provisioning/files-dir';
import { registerEndpoint } from './register';

export function provisioningRoutes(app: FastifyInstance): void {
  // Translation problems are the answer (200 with positioned diagnostics), not an HTTP error.
  registerEndpoint(app, translateButaneToIgnition, async ({ body }) => {
    const result = translateButane(body.butane, { strict: body.strict ?? false, ...(body.files ? uploadedFilesDir(body.files) : {}) });
    return { ignition: result.ignition ?? null, warnings: result.warnings, errors: result.errors };
  });

  registerEndpoint(app, renderProvisioning, async ({ body }) => render(body.intent, body.format));
}
