import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../../mocks/db';
import { Me } from '../../../../shared/domain/user';
import { renderApp } from '../../../test/render-app';
import { useReactFlowEnvironment } from '../../../test/react-flow-env';
import { codeText } from './code-editor-testing';

const ID = '0b6c5f43-2d4e-4a43-9d4e-3c1f3e7a9a01';
const EDITOR = `/applications/web/pipelines/${ID}/edit`;
const newest = () => db.pipelineRevisions.filter((r) => r.pipeline.id === ID).at(-1)!.pipeline;

useReactFlowEnvironment();

describe('write-only secrets in the editor', () => {
  it('shows when and by whom the webhook secret was set, never the secret, and keeps it on a save', async () => {
    const { user } = renderApp(EDITOR);
    const trigger = await screen.findByRole('group', { name: 'Trigger 2' }, { timeout: 20_000 });
    expect(within(trigger).getByRole('status').textContent).toMatch(/^Secret set on .+ by ana$/);
    expect(within(trigger).getByText(/^Runs as ana, who set it up on /)).toBeTruthy();
    expect(within(screen.getByRole('group', { name: 'Notification 1' })).getByRole('status').textContent).toMatch(/Credentials in this URL \(\*\*\*\*\*\) set on .+ by ana/);
    expect(document.body.innerHTML).not.toContain('never-shown');

    await user.click(screen.getByRole('button', { name: 'JSON' }));
    const json = await screen.findByLabelText('Pipeline as JSON', undefined, { timeout: 20_000 });
    expect(codeText(json)).toContain('"secretSet": true');
    expect(codeText(json)).not.toContain('never-shown');
    await user.click(screen.getByRole('button', { name: 'Graph' }));

    await user.type(await screen.findByLabelText('Description'), ' edited');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(newest().revision).toBe(2), { timeout: 5000 });
    expect(newest().triggers[1]).toMatchObject({ secret: 'mock-mode-secret-never-shown', runAs: 'ana' });
    expect(newest().notifications[0]!.url).toContain('token=mock-token-never-shown');
  }, 30_000);

  it('replaces the secret with a new one typed after "Replace secret"', async () => {
    const { user } = renderApp(EDITOR);
    const trigger = await screen.findByRole('group', { name: 'Trigger 2' }, { timeout: 20_000 });
    await user.click(within(trigger).getByRole('button', { name: 'Replace secret' }));
    await user.type(within(trigger).getByLabelText('New shared secret (16+ characters)'), 'a-brand-new-secret-of-32-characters');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(newest().triggers[1]).toMatchObject({ secret: 'a-brand-new-secret-of-32-characters' }), { timeout: 5000 });
    expect(await within(await screen.findByRole('group', { name: 'Trigger 2' })).findByRole('status', undefined, { timeout: 5000 })).toBeTruthy();
  }, 30_000);

  it('tells a WRITE-only user that trigger changes need EXECUTE, before they try', async () => {
    db.auth.me = Me.parse({ user: { ...db.auth.users[1]!, name: 'walt' }, grants: [{ resourceType: 'application', resource: 'web', permission: 'WRITE' }] });
    renderApp(EDITOR);
    const note = await screen.findByText(/^A webhook, cron, pipeline or registry trigger starts runs/, undefined, { timeout: 5000 });
    expect(note.textContent).toMatch(/needs EXECUTE.*You need EXECUTE permission on application web/);
  }, 30_000);

  it('tells a WRITE-only user the pipeline runs automatically as ana, saves their description edit, and refuses a concurrency edit naming EXECUTE', async () => {
    db.auth.me = Me.parse({ user: { ...db.auth.users[1]!, name: 'walt' }, grants: [{ resourceType: 'application', resource: 'web', permission: 'WRITE' }] });
    const { user } = renderApp(EDITOR);
    const note = await screen.findByRole('note', { name: 'Runs automatically' }, { timeout: 5000 });
    expect(note.textContent).toMatch(/^This pipeline runs automatically as ana \(webhook trigger\), so saving changes to what it runs .* needs EXECUTE/);
    expect(note.textContent).not.toMatch(/Saving will be refused/);

    await user.type(screen.getByLabelText('Description'), ' by walt');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(newest().description).toMatch(/by walt$/), { timeout: 5000 });

    await user.click(screen.getByLabelText('Limit concurrent executions'));
    expect(screen.getByRole('note', { name: 'Runs automatically' }).textContent).toMatch(/Saving will be refused: your draft changes its concurrency\./);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByText(/^Not saved: walt lacks EXECUTE/, undefined, { timeout: 5000 })).textContent).toContain('runs automatically as ana (webhook trigger)');
    expect(newest().concurrency).toEqual(db.pipelineRevisions.find((r) => r.pipeline.id === ID)!.pipeline.concurrency);
  }, 30_000);

  it('picks the watched pipeline of a pipeline trigger by name and saves its id', async () => {
    const { user } = renderApp(EDITOR);
    await screen.findByRole('group', { name: 'Trigger 2' }, { timeout: 20_000 });
    await user.click(screen.getByRole('button', { name: 'Add trigger' }));
    const added = screen.getByRole('group', { name: 'Trigger 3' });
    await user.selectOptions(within(added).getByLabelText('Trigger type'), 'pipeline');
    const field = await within(added).findByRole('combobox', { name: 'Pipeline' }, { timeout: 5000 });
    await user.selectOptions(field, 'Deploy to production');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(newest().triggers[2]).toMatchObject({ type: 'pipeline', application: 'web', pipeline: ID }), { timeout: 5000 });
  }, 30_000);
});
