import { screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { gceBakeDeploy } from '../../../../shared/spinnaker/test-pipelines';
import { renderApp } from '../../../test/render-app';
import { useReactFlowEnvironment } from '../../../test/react-flow-env';

const EDITOR = '/applications/web/pipelines/0b6c5f43-2d4e-4a43-9d4e-3c1f3e7a9a01/edit';

useReactFlowEnvironment();
// jsdom's <dialog> has no close(); browsers do, and closing one dialog to open the next needs it.
beforeAll(() => {
  if (typeof HTMLDialogElement.prototype.close !== 'function') {
    HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
      this.removeAttribute('open');
    };
  }
});

describe("the editor's Spinnaker import", () => {
  it('asks which Kiln account each Spinnaker account becomes, as the CLI --account-map does, and imports with that map', async () => {
    const { user } = renderApp(EDITOR);
    await screen.findByText('Approve', undefined, { timeout: 15_000 });
    const file = new File([JSON.stringify(gceBakeDeploy)], 'gce.json', { type: 'application/json' });
    await user.upload(screen.getByLabelText('Import a Spinnaker pipeline JSON file'), file);

    const step = await screen.findByRole('dialog', { name: 'Map the accounts of gce.json' });
    expect(within(step).getByText('gce-prod')).toBeTruthy();
    expect(within(step).getByText('gce-test')).toBeTruthy();
    const prod = within(step).getByLabelText('Kiln account for gce-prod');
    expect(await within(prod).findByRole('option', { name: 'prod' })).toBeTruthy();
    await user.selectOptions(prod, 'prod');
    await user.click(within(step).getByRole('button', { name: 'Import' }));

    const report = await screen.findByRole('dialog', { name: /^Imported \d+ stages from Spinnaker pipeline/ });
    // Mapped: no warning for gce-prod; the one left as it was is kept by name and told.
    expect(report.textContent).not.toContain("account 'gce-prod' is not in the account map");
    expect(report.textContent).toContain("account 'gce-test' is not in the account map; kept as 'gce-test'");
  }, 40_000);
});
