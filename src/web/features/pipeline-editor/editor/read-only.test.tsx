import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../../mocks/db';
import { Me } from '../../../../shared/domain/user';
import { renderApp } from '../../../test/render-app';
import { useReactFlowEnvironment } from '../../../test/react-flow-env';

const EDITOR = '/applications/web/pipelines/0b6c5f43-2d4e-4a43-9d4e-3c1f3e7a9a01/edit';

useReactFlowEnvironment();

const reader = () => Me.parse({ user: { ...db.auth.users[1]!, name: 'rita' }, grants: [{ resourceType: 'application', resource: 'web', permission: 'READ' }] });

describe('a pipeline for someone without WRITE', () => {
  it('is shown read only: a note says why, no palette, no save, no "+", no editable fields or text', async () => {
    db.auth.me = reader();
    const { user } = renderApp(EDITOR);
    const note = await screen.findByRole('note', { name: 'Read only' }, { timeout: 20_000 });
    expect(note.textContent).toMatch(/^Read only — you have READ permission on web, not WRITE/);
    expect(screen.queryByLabelText('Search stage types')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Insert a stage between/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Import' })).toBeNull();
    // Stages can be looked at: their settings show, and do not take input.
    fireEvent.click(await screen.findByText('Tests', undefined, { timeout: 20_000 }));
    const command = within(screen.getByRole('region', { name: 'Stage Tests' })).getByLabelText('Command') as HTMLInputElement;
    expect(command.value).toBe('npm test');
    expect(command.matches(':disabled')).toBe(true);
    expect(screen.getByRole('button', { name: 'Delete stage' }).matches(':disabled')).toBe(true);
    // The graph cannot be changed from the keyboard either.
    fireEvent.keyDown(screen.getByRole('group', { name: 'Stage Tests' }), { key: 'Delete' });
    expect(screen.getByRole('group', { name: 'Stage Tests' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'JSON' }));
    const json = await screen.findByLabelText('Pipeline as JSON', undefined, { timeout: 20_000 });
    expect(json.getAttribute('contenteditable')).toBe('false');
  }, 60_000);

  it('is editable for someone with WRITE (no note)', async () => {
    db.auth.me = Me.parse({ user: { ...db.auth.users[1]!, name: 'walt' }, grants: [{ resourceType: 'application', resource: 'web', permission: 'WRITE' }] });
    renderApp(EDITOR);
    expect(await screen.findByLabelText('Search stage types', undefined, { timeout: 20_000 })).toBeTruthy();
    expect(screen.queryByRole('note', { name: 'Read only' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Save' })).toBeTruthy();
  }, 60_000);
});
