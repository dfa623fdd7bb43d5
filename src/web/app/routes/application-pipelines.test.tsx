import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { db } from '../../../../mocks/db';
import { Me } from '../../../shared/domain/user';
import { renderApp } from '../../test/render-app';

const names = () =>
  within(screen.getByRole('table', { name: 'Pipelines' }))
    .getAllByRole('rowheader')
    .map((r) => r.querySelector('a')?.textContent);

describe('managing pipelines from the list', () => {
  it('renames a pipeline from its Manage menu', async () => {
    const { user } = renderApp('/applications/web/pipelines');
    await user.click(await screen.findByRole('button', { name: 'Manage Deploy to production' }, { timeout: 20_000 }));
    await user.click(screen.getByRole('menuitem', { name: 'Rename…' }));
    const name = screen.getByRole('textbox', { name: 'Name' });
    await user.clear(name);
    await user.type(name, 'Ship to production');
    await user.click(screen.getByRole('button', { name: 'Rename' }));
    await waitFor(() => expect(names()).toEqual(['Ship to production']), { timeout: 20_000 });
  });

  it('duplicates one: the copy is listed, its new webhook secret shown once', async () => {
    const { user } = renderApp('/applications/web/pipelines');
    await user.click(await screen.findByRole('button', { name: 'Manage Deploy to production' }, { timeout: 20_000 }));
    await user.click(screen.getByRole('menuitem', { name: 'Duplicate…' }));
    expect(screen.getByRole('textbox', { name: 'Name' }).getAttribute('placeholder')).toBe('Deploy to production (copy)');
    await user.click(screen.getByRole('button', { name: 'Duplicate' }));
    const done = await screen.findByRole('dialog', { name: 'Copied to web/Deploy to production (copy)' }, { timeout: 20_000 });
    expect(within(done).getByRole('status', { name: 'New webhook secret' }).textContent).toMatch(/^\w{20,}$/);
    expect(within(done).getByRole('link', { name: 'Open the copy' })).toBeTruthy();
    await user.click(within(done).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(names()).toEqual(['Deploy to production', 'Deploy to production (copy)']), { timeout: 20_000 });
  });

  it('deletes only once the name is typed, and shows why when it is refused', async () => {
    const { user } = renderApp('/applications/web/pipelines');
    await user.click(await screen.findByRole('button', { name: 'Manage Deploy to production' }, { timeout: 20_000 }));
    await user.click(screen.getByRole('menuitem', { name: 'Delete…' }));
    const confirm = screen.getByRole('button', { name: 'Delete pipeline' });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    await user.type(screen.getByRole('textbox', { name: /to confirm/ }), 'Deploy to production');
    await user.click(confirm);
    // The sample pipeline's executions are still under way.
    expect((await screen.findByRole('alert', undefined, { timeout: 20_000 })).textContent).toMatch(
      /^Pipeline 'Deploy to production' cannot be deleted: execution .+ is still running/,
    );
    db.executions = db.executions.map((e) => ({ ...e, status: 'SUCCEEDED' as const }));
    await user.click(confirm);
    await screen.findByText('No pipelines yet', undefined, { timeout: 20_000 });
  });

  it('offers rename and delete only with WRITE; a reader may still copy into an application they can write', async () => {
    db.auth.me = Me.parse({ user: { ...db.auth.users[1]!, name: 'rae' }, grants: [{ resourceType: 'application', resource: 'web', permission: 'READ' }] });
    const { user } = renderApp('/applications/web/pipelines');
    await user.click(await screen.findByRole('button', { name: 'Manage Deploy to production' }, { timeout: 20_000 }));
    expect((screen.getByRole('menuitem', { name: 'Rename…' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('menuitem', { name: 'Delete…' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('menuitem', { name: 'Duplicate…' }) as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('opening a pipeline from the list', () => {
  it("asks for the editor's code once the list is on screen and the browser is idle", async () => {
    const idle = vi.fn<(callback: IdleRequestCallback) => number>(() => 1);
    vi.stubGlobal('requestIdleCallback', idle);
    vi.stubGlobal('cancelIdleCallback', vi.fn<(handle: number) => void>());
    try {
      const { user } = renderApp('/applications/web/pipelines');
      await screen.findByRole('table', { name: 'Pipelines' }, { timeout: 20_000 });
      await waitFor(() => expect(idle).toHaveBeenCalledTimes(1));
      // What the browser runs when idle: the editor's chunks load, and opening a pipeline still works.
      idle.mock.calls[0]![0]({ didTimeout: false, timeRemaining: () => 50 });
      await user.click(screen.getByRole('link', { name: 'Deploy to production' }));
      expect(await screen.findByRole('region', { name: 'Pipeline canvas' }, { timeout: 20_000 })).toBeTruthy();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
