import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { server } from '../../../../mocks/node';
import { FakeEventSource } from '../../test/fake-event-source';
import { renderApp } from '../../test/render-app';

describe('approvals inbox', () => {
  it('shows every waiting judgment with its evidence and a count in the navigation bar', async () => {
    renderApp('/approvals');
    const list = await screen.findByRole('list', { name: 'Waiting judgments' });
    const panel = within(list).getByRole('region', { name: 'Judgment: Approve' });
    expect(within(panel).getByText('Ship it?')).toBeTruthy();
    expect(within(list).getByRole('link', { name: 'Deploy to production' }).getAttribute('href')).toBe(`/applications/web/executions/${db.executions[0]!.id}?stage=ok`);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(await within(nav).findByLabelText('1 waiting')).toBeTruthy();
  });

  it('approving keeps the item to show the recorded choice, and the count drops', async () => {
    const { user } = renderApp('/approvals');
    const panel = await screen.findByRole('region', { name: 'Judgment: Approve' });
    await user.click(within(panel).getByRole('button', { name: 'Approve' }));
    expect((await screen.findByRole('list', { name: 'Audit record' })).textContent).toMatch(/Approved by ana/);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    await waitFor(() => expect(within(nav).queryByLabelText(/waiting/)).toBeNull());
  });

  it('says when nothing waits', async () => {
    server.use(http.get('*/api/approvals', () => HttpResponse.json({ judgments: [] })));
    renderApp('/approvals');
    expect(await screen.findByRole('heading', { name: 'Nothing waits for a judgment' })).toBeTruthy();
  });

  it('a judgment that starts waiting appears live', async () => {
    const waiting = db.executions[0]!;
    db.executions[0] = { ...waiting, stages: waiting.stages.map((s) => (s.refId === 'ok' ? { ...s, status: 'NOT_STARTED' } : s)) };
    renderApp('/approvals');
    expect(await screen.findByRole('heading', { name: 'Nothing waits for a judgment' })).toBeTruthy();
    await waitFor(() => expect(FakeEventSource.instances.length).toBe(1));
    db.executions[0] = waiting;
    FakeEventSource.latest.emit({ type: 'stage.status', application: 'web', executionId: waiting.id, data: { refId: 'ok', status: 'SUSPENDED', previous: 'RUNNING' } });
    expect(await screen.findByRole('region', { name: 'Judgment: Approve' })).toBeTruthy();
  });
});
