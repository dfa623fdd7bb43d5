import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../mocks/db';
import { Me } from '../../shared/domain/user';
import { useFakeLayout } from '../test/fake-layout';
import { renderApp } from '../test/render-app';

useFakeLayout();

/** The demo pipeline, given a parameter so the run form has something to ask. */
function withParameter() {
  const rev = db.pipelineRevisions[0]!;
  rev.pipeline = { ...rev.pipeline, parameters: [{ name: 'version', label: 'Version', default: '1.0.0', required: true }] };
  return rev.pipeline;
}
/** The execution started since `known` was taken. */
const started = (known: ReadonlySet<string>) => db.executions.find((e) => !known.has(e.id));
const ids = () => new Set(db.executions.map((e) => e.id));

describe('run and re-run outside the editor', () => {
  it('runs a pipeline from the pipelines list with its parameters form, then shows the new execution', async () => {
    const pipeline = withParameter();
    const known = ids();
    const { user, router } = renderApp('/applications/web/pipelines');
    await user.click(await screen.findByRole('button', { name: `Run ${pipeline.name}` }, { timeout: 20_000 }));
    const dialog = await screen.findByRole('dialog', { name: `Run ${pipeline.name}` }, { timeout: 20_000 });
    const version = within(dialog).getByLabelText(/Version/);
    expect((version as HTMLInputElement).value).toBe('1.0.0');
    await user.clear(version);
    await user.type(version, '2.0.0');
    await user.click(within(dialog).getByRole('button', { name: 'Run revision 1' }));
    await waitFor(() => expect(started(known)).toBeTruthy(), { timeout: 10_000 });
    expect(started(known)!.trigger.parameters).toEqual({ version: '2.0.0' });
    await waitFor(() => expect(router.state.location.pathname).toBe(`/applications/web/executions/${started(known)!.id}`), { timeout: 10_000 });
  }, 60_000);

  it('re-runs from the execution page with the parameters that execution ran with', async () => {
    withParameter();
    const old = db.executions[1]!;
    old.trigger = { ...old.trigger, parameters: { version: '1.4.2' } };
    const known = ids();
    const { user, router } = renderApp(`/applications/web/executions/${old.id}`);
    await user.click(await screen.findByRole('button', { name: 'Re-run…' }, { timeout: 20_000 }));
    const dialog = await screen.findByRole('dialog', { name: /^Run / }, { timeout: 20_000 });
    expect((within(dialog).getByLabelText(/Version/) as HTMLInputElement).value).toBe('1.4.2');
    await user.click(within(dialog).getByRole('button', { name: /^Run revision/ }));
    await waitFor(() => expect(started(known)).toBeTruthy(), { timeout: 10_000 });
    expect(started(known)!.trigger.parameters).toEqual({ version: '1.4.2' });
    await waitFor(() => expect(router.state.location.pathname).toBe(`/applications/web/executions/${started(known)!.id}`), { timeout: 10_000 });
  }, 60_000);

  it('a user who may only read cannot start a run: the button is disabled and says why', async () => {
    db.auth.me = Me.parse({ user: { ...db.auth.users[1]!, name: 'rita' }, grants: [{ resourceType: 'application', resource: 'web', permission: 'READ' }] });
    renderApp('/applications/web/pipelines');
    const run = await screen.findByRole('button', { name: 'Run Deploy to production' }, { timeout: 20_000 });
    expect((run as HTMLButtonElement).disabled).toBe(true);
    expect(run.getAttribute('title')).toMatch(/You need EXECUTE permission on application web/);
  }, 60_000);
});
