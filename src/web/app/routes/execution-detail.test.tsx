import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { server } from '../../../../mocks/node';
import { FakeEventSource } from '../../test/fake-event-source';
import { useFakeLayout } from '../../test/fake-layout';
import { renderApp } from '../../test/render-app';

useFakeLayout();

const WAITING = db.executions[0]!.id;
const FAILED = db.executions[1]!.id;
const url = (id: string, rest = '') => `/applications/web/executions/${id}${rest}`;
const stageNode = (name: RegExp) => within(screen.getByRole('list', { name: 'Stages' })).getByRole('button', { name });

describe('execution detail', () => {
  it('shows the DAG with each stage status, the trigger, and opens at the waiting judgment', async () => {
    renderApp(url(WAITING));
    expect(await screen.findByRole('heading', { name: 'Deploy to production' })).toBeTruthy();
    expect(stageNode(/^Tests: SUCCEEDED/)).toBeTruthy();
    expect(stageNode(/^Approve: SUSPENDED/).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByText('Trigger').parentElement!.textContent).toBe('TriggerStarted by hand by ana');
    const panel = screen.getByRole('region', { name: 'Judgment: Approve' });
    expect(within(panel).getByText('Ship it?')).toBeTruthy();
    expect(within(panel).getByText(/Waiting for/)).toBeTruthy();
    expect(within(panel).getByRole('list', { name: 'Stages before this judgment' }).textContent).toContain('Tests');
  });

  it('approves with a comment and shows who approved, when', async () => {
    const { user } = renderApp(url(WAITING));
    const panel = await screen.findByRole('region', { name: 'Judgment: Approve' });
    await user.type(within(panel).getByLabelText(/Comment/), 'canary looks fine');
    await user.click(within(panel).getByRole('button', { name: 'Approve' }));
    const record = await within(panel).findByRole('list', { name: 'Audit record' });
    expect(record.textContent).toMatch(/Approved by ana.*canary looks fine/);
    expect(within(panel).queryByRole('button', { name: 'Approve' })).toBeNull();
  });

  it('needs a comment to reject, and a comment with markup shows as text', async () => {
    const { user } = renderApp(url(WAITING));
    const panel = await screen.findByRole('region', { name: 'Judgment: Approve' });
    const reject = within(panel).getByRole('button', { name: 'Reject' });
    expect((reject as HTMLButtonElement).disabled).toBe(true);
    await user.type(within(panel).getByLabelText(/Comment/), '<img src=x onerror=alert(1)> not this build');
    await user.click(reject);
    const record = await within(panel).findByRole('list', { name: 'Audit record' });
    expect(record.textContent).toContain('Rejected by ana');
    expect(record.textContent).toContain('<img src=x onerror=alert(1)> not this build');
    expect(record.querySelector('img')).toBeNull();
  });

  it('tells the loser of a race who decided first', async () => {
    server.use(
      http.post('*/api/executions/:id/stages/:refId/judgment', () => {
        const e = db.executions[0]!;
        db.executions[0] = {
          ...e,
          stages: e.stages.map((s) =>
            s.refId === 'ok' ? { ...s, status: 'SUCCEEDED', context: { judgment: { decision: 'approve', by: 'bo', at: new Date().toISOString() } } } : s,
          ),
        };
        return HttpResponse.json({ error: 'conflict', message: 'Already judged: approve by bo at 2026-11-23T13:00:00.000Z.' }, { status: 409 });
      }),
    );
    const { user } = renderApp(url(WAITING));
    const panel = await screen.findByRole('region', { name: 'Judgment: Approve' });
    await user.click(within(panel).getByRole('button', { name: 'Approve' }));
    expect((await within(panel).findByRole('alert')).textContent).toMatch(/Someone decided first\. Already judged: approve by bo/);
    // Two requests in a row (the refused judgment, then the refetch that shows the winner): allow for a busy machine.
    expect((await within(panel).findByRole('list', { name: 'Audit record' }, { timeout: 4000 })).textContent).toMatch(/Approved by bo/);
  });

  it('updates a stage live from an event, without reloading', async () => {
    renderApp(url(WAITING));
    await screen.findByRole('heading', { name: 'Deploy to production' });
    await waitFor(() => expect(FakeEventSource.instances.length).toBe(1));
    const e = db.executions[0]!;
    // What the engine would have stored; the event arrives and the page patches before it refetches.
    db.executions[0] = { ...e, status: 'SUCCEEDED', stages: e.stages.map((s) => ({ ...s, status: 'SUCCEEDED' })) };
    FakeEventSource.latest.emit({ type: 'stage.status', application: 'web', executionId: WAITING, data: { refId: 'ok', status: 'SUCCEEDED', previous: 'SUSPENDED' } });
    expect(await screen.findByRole('button', { name: /^Approve: SUCCEEDED/ })).toBeTruthy();
  });

  it('cancels with a required reason and shows it', async () => {
    const { user } = renderApp(url(WAITING));
    await user.click(await screen.findByRole('button', { name: 'Cancel execution' }));
    const dialog = screen.getByRole('dialog', { name: /Cancel Deploy to production/ });
    const confirm = within(dialog).getByRole('button', { name: 'Cancel execution' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await user.type(within(dialog).getByLabelText(/Reason/), 'wrong build');
    await user.click(confirm);
    const reason = await screen.findByText('wrong build', { selector: 'q' });
    expect(reason.parentElement!.textContent).toBe('Canceled by ana: wrong build');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('pauses with an optional reason, shows who paused, and resumes', async () => {
    const { user } = renderApp(url(WAITING));
    await user.click(await screen.findByRole('button', { name: 'Pause' }));
    const dialog = screen.getByRole('dialog', { name: /Pause/ });
    await user.type(within(dialog).getByLabelText(/Reason/), 'freeze window');
    await user.click(within(dialog).getByRole('button', { name: 'Pause' }));
    const note = (await screen.findByText('freeze window', { selector: 'q' })).parentElement!;
    expect(note.textContent).toMatch(/^Paused by ana .*: freeze window$/);
    expect(screen.getByRole('heading', { level: 1, name: 'Deploy to production' }).nextElementSibling!.textContent).toBe('Paused');
    await user.click(screen.getByRole('button', { name: 'Resume' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Resume' }));
    expect(await screen.findByRole('button', { name: 'Pause' })).toBeTruthy();
  });

  it('ignores a failure with a reason and records it on the stage', async () => {
    const { user } = renderApp(url(FAILED));
    const stage = await screen.findByRole('region', { name: 'Stage Tests' });
    expect(within(stage).getByText(/the job exited with code 1/)).toBeTruthy();
    await user.click(within(stage).getByRole('button', { name: 'Ignore failure' }));
    const dialog = screen.getByRole('dialog');
    await user.type(within(dialog).getByLabelText(/Reason/), 'known flake');
    await user.click(within(dialog).getByRole('button', { name: 'Ignore failure' }));
    const record = await within(stage).findByRole('list', { name: 'Audit record' });
    expect(record.textContent).toMatch(/Failure ignored by ana.*known flake/);
  });

  it('shows a runJob log with a permalink in the URL', async () => {
    const { user, router } = renderApp(url(FAILED, '?stage=test'));
    const log = await screen.findByRole('region', { name: 'Log of Tests' });
    expect(await within(log).findByText('$ npm test')).toBeTruthy();
    await user.click(within(log).getByRole('link', { name: 'Line 2' }));
    expect(router.state.location.hash).toBe('#L2');
    expect(router.state.location.search).toBe('?stage=test');
  });

  it('merges live log lines with the history read, each line once, in order', async () => {
    let answer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    server.use(
      http.get('*/api/executions/:id/logs', async ({ request }) => {
        const after = Number(new URL(request.url).searchParams.get('after'));
        if (after > 0) return HttpResponse.json({ lines: [], nextAfter: after, earlier: 2 });
        // The first read is the tail (the viewer opens a log at its end).
        await answered;
        const at = '2026-11-23T10:00:00.000Z';
        return HttpResponse.json({ lines: [1, 2].map((seq) => ({ seq, refId: 'test', line: `history ${seq}`, at })), nextAfter: 2, earlier: 0 });
      }),
    );
    renderApp(url(FAILED, '?stage=test'));
    const log = await screen.findByRole('region', { name: 'Log of Tests' });
    await waitFor(() => expect(FakeEventSource.instances.length).toBe(1));
    // Arrives while the history read is still out: overlaps it by one line.
    FakeEventSource.latest.emit({ type: 'log.lines', application: 'web', executionId: FAILED, data: { refId: 'test', firstSeq: 2, lines: ['history 2', 'live 3'] } });
    answer();
    expect(await within(log).findByText('live 3')).toBeTruthy();
    expect([...log.querySelectorAll('[data-line]')].map((l) => l.textContent)).toEqual(['1history 1', '2history 2', '3live 3']);
    FakeEventSource.latest.emit({ type: 'log.lines', application: 'web', executionId: FAILED, data: { refId: 'other', firstSeq: 4, lines: ['not this stage'] } });
    FakeEventSource.latest.emit({ type: 'log.lines', application: 'web', executionId: FAILED, data: { refId: 'test', firstSeq: 5, lines: ['live 5'] } });
    expect(await within(log).findByText('live 5')).toBeTruthy();
    expect(within(log).getByText('4 lines')).toBeTruthy();
  });

  it('shows every line of a flood of live batches, each under its own number', async () => {
    server.use(
      http.get('*/api/executions/:id/logs', ({ request }) => HttpResponse.json({ lines: [], nextAfter: Number(new URL(request.url).searchParams.get('after') ?? 0), earlier: 0 })),
    );
    renderApp(url(FAILED, '?stage=test'));
    const log = await screen.findByRole('region', { name: 'Log of Tests' });
    await waitFor(() => expect(FakeEventSource.instances.length).toBe(1));
    await within(log).findByText('This stage wrote no output.');
    // 12 batches of 1,500 lines back to back: drawn in fewer, larger batches, none lost.
    for (let b = 0; b < 12; b += 1) {
      const lines = Array.from({ length: 1500 }, (_, i) => `flood ${b * 1500 + i + 1}`);
      FakeEventSource.latest.emit({ type: 'log.lines', application: 'web', executionId: FAILED, data: { refId: 'test', firstSeq: b * 1500 + 1, lines } });
    }
    expect(await within(log).findByText('18,000 lines')).toBeTruthy();
    // Each drawn row shows the line sent under its number (jsdom has no layout to follow with).
    const drawn = [...log.querySelectorAll('[data-line]')];
    expect(drawn.length).toBeGreaterThan(10);
    for (const row of drawn) expect(row.textContent).toBe(`${row.getAttribute('data-line')}flood ${row.getAttribute('data-line')}`);
  });

  it('says when an execution does not exist', async () => {
    renderApp(url('00000000-0000-4000-8000-000000000000'));
    expect(await screen.findByRole('heading', { name: 'Execution not found' })).toBeTruthy();
  });
});
