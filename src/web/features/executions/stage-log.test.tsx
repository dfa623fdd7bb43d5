import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { StageExecution } from '../../../shared/domain/execution';
import { db } from '../../../../mocks/db';
import { server } from '../../../../mocks/node';
import { AppProviders } from '../../app/providers';
import { createQueryClient } from '../../lib/query-client';
import { FakeEventSource } from '../../test/fake-event-source';
import { useFakeLayout } from '../../test/fake-layout';
import { StageLog } from './stage-log';

useFakeLayout();

const AT = '2026-11-23T10:00:00.000Z';

function renderStage(stage: Partial<StageExecution>, lines: string[]) {
  const execution = db.executions[1]!;
  const s = { ...execution.stages[0]!, refId: 's', name: 'Deploy to prod', status: 'RUNNING', ...stage } as StageExecution;
  server.use(
    http.get('*/api/executions/:id/logs', ({ request }) => {
      const after = Number(new URL(request.url).searchParams.get('after') ?? 0);
      if (after > 0) return HttpResponse.json({ lines: [], nextAfter: after, earlier: 0 });
      return HttpResponse.json({ lines: lines.map((line, i) => ({ seq: i + 1, refId: 's', line, at: AT })), nextAfter: lines.length, earlier: 0 });
    }),
  );
  const user = userEvent.setup();
  render(
    <AppProviders queryClient={createQueryClient({ retry: false })}>
      <StageLog execution={{ ...execution, stages: [s] }} stage={s} selectedLine={undefined} onSelectLine={() => undefined} />
    </AppProviders>,
  );
  return { user, executionId: execution.id };
}

describe('a deploy stage shows its progress as steps', () => {
  it('lists the stored steps with times, adds live ones as they stream, and keeps the raw log behind a toggle', async () => {
    const { user, executionId } = renderStage({ type: 'deploy' }, [
      '▸ created Server group web-prod-v002 created from storefront:v2, out of traffic; waiting for 3 instances',
      '▸ healthy 1/3 instances of web-prod-v002 healthy',
    ]);
    const progress = await screen.findByRole('region', { name: 'Deploy progress' });
    await within(progress).findByText(/1\/3 instances of web-prod-v002 healthy/);
    expect(screen.queryByText('Waiting for output…')).toBeNull();
    expect(screen.queryByRole('region', { name: 'Log of Deploy to prod' })).toBeNull();
    const items = () =>
      within(progress)
        .getAllByRole('listitem')
        .map((li) => li.textContent);
    expect(items()[0]).toMatch(/^\d\d:\d\d:\d\d.*Server group web-prod-v002 created from storefront:v2/);
    expect(within(progress).getAllByRole('listitem')[0]!.querySelector('time')!.getAttribute('dateTime')).toBe(AT);

    await waitFor(() => expect(FakeEventSource.instances.length).toBeGreaterThan(0));
    FakeEventSource.latest.emit({
      type: 'log.lines',
      application: 'web',
      executionId,
      data: { refId: 's', firstSeq: 3, lines: ['▸ healthy 2/3 instances of web-prod-v002 healthy', '▸ traffic web-prod-v002 takes 34% of traffic, web-prod-v001 66%'] },
    });
    await within(progress).findByText('web-prod-v002 takes 34% of traffic, web-prod-v001 66%');
    expect(items().filter((t) => /healthy|traffic|created/.test(t!)).length).toBe(4);

    await user.click(screen.getByLabelText('Show the raw log'));
    const raw = await screen.findByRole('region', { name: 'Log of Deploy to prod' });
    expect(within(raw).getByText('▸ healthy 1/3 instances of web-prod-v002 healthy')).toBeTruthy();
  });
});

describe('a bake log reads like Packer’s human output', () => {
  const lines = [
    '1796588621,provisioner 1 (shell),step,start',
    '1796588621,provisioner 1 (shell),ui,say,Installing packages%!(PACKER_COMMA) then the app',
    '1796588622,provisioner 1 (shell),output,npm ci done',
    '1796588623,provisioner 1 (shell),ui,error,exit status 1',
    '1796588623,provisioner 1 (shell),step,failed,2100',
  ];

  it('shows time, component and message, errors in red, and the raw CSV behind a toggle', async () => {
    const { user } = renderStage({ type: 'bake', name: 'Bake' }, lines);
    const log = await screen.findByRole('region', { name: 'Log of Bake' });
    const rows = async () => {
      await within(log).findByText(/Installing packages, then the app/);
      return [...log.querySelectorAll('[data-line]')].map((l) => l.textContent);
    };
    const human = await rows();
    expect(human[1]).toMatch(/^2\d\d:\d\d:\d\d provisioner 1 \(shell\): Installing packages, then the app$/);
    expect(human[3]).toMatch(/provisioner 1 \(shell\): exit status 1$/);
    expect(human[4]).toMatch(/provisioner 1 \(shell\): failed after 2\.10 s$/);
    expect(human.join('\n')).not.toContain('1796588621');
    // The error line is drawn red (the log view's colour runs).
    const error = within(log).getByText('provisioner 1 (shell): exit status 1');
    expect(error.getAttribute('style')).toMatch(/color: rgb\(/);

    // The download holds the raw lines, as Packer wrote them (tools parse that form).
    let saved: Blob | undefined;
    const create = URL.createObjectURL;
    const revoke = URL.revokeObjectURL;
    URL.createObjectURL = (b: Blob) => ((saved = b), 'blob:log');
    URL.revokeObjectURL = () => undefined;
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = () => undefined;
    try {
      await user.click(within(log).getByRole('button', { name: 'Download' }));
      await waitFor(() => expect(saved).toBeDefined());
      expect(await saved!.text()).toBe(lines.join('\n') + '\n');
    } finally {
      URL.createObjectURL = create;
      URL.revokeObjectURL = revoke;
      HTMLAnchorElement.prototype.click = click;
    }

    await user.click(screen.getByLabelText(/Show the raw Packer log/));
    await within(log).findByText('1796588621,provisioner 1 (shell),ui,say,Installing packages%!(PACKER_COMMA) then the app');
  });
});
