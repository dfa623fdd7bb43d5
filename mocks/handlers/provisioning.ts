import { renderProvisioning, translateButaneToIgnition } from '../../src/shared/api/provisioning';
import { renderProvisioning as render } from '../../src/shared/provisioning/render';
import { translateButane } from '../../src/shared/provisioning/translate-butane';
import { uploadedFilesDir } from '../../src/shared/provisioning/files-dir';
import { handleEndpoint } from '../handle-endpoint';

// The translator is pure and shared, so the mock answers exactly what the BFF would.
export const provisioningHandlers = {
  translateButaneToIgnition: handleEndpoint(translateButaneToIgnition, ({ body }) => {
    const result = translateButane(body.butane, { strict: body.strict ?? false, ...(body.files ? uploadedFilesDir(body.files) : {}) });
    return { ignition: result.ignition ?? null, warnings: result.warnings, errors: result.errors };
  }),
  renderProvisioning: handleEndpoint(renderProvisioning, ({ body }) => render(body.intent, body.format)),
};
