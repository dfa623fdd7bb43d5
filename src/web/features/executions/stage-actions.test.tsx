import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { RULE_PEOPLE, ruleExecution } from '../../../shared/domain/stage-rule-cases';
import { useFakeLayout } from '../../test/fake-layout';
import { renderApp } from '../../test/render-app';

useFakeLayout();

function showRejected(who: keyof typeof RULE_PEOPLE) {
  const execution = ruleExecution('rejected', { id: crypto.randomUUID(), pipelineId: db.pipelineRevisions[0]!.pipeline.id });
  db.executions = [execution, ...db.executions];
  db.auth.me = RULE_PEOPLE[who];
  return renderApp(`/applications/web/executions/${execution.id}?stage=ok`);
}

describe('stage actions past a rejected judgment', () => {
  it('are shown disabled to an engineer, with the reason the server would give', async () => {
    showRejected('eve');
    const stage = await screen.findByRole('region', { name: 'Stage Promote?' }, { timeout: 10_000 });
    for (const name of ['Restart stage', 'Skip stage', 'Ignore failure']) {
      const button = within(stage).getByRole('button', { name }) as HTMLButtonElement;
      expect(button.disabled).toBe(true);
      expect(button.title).toBe(
        "'Promote?' was rejected by pia; only an admin, giving a reason, may " +
          { 'Restart stage': 'restart', 'Skip stage': 'skip', 'Ignore failure': 'ignore the failure of' }[name] +
          ' it.',
      );
    }
  });

  it('ask an admin for the reason to record, even for a restart, and record it', async () => {
    const { user } = showRejected('ada');
    const stage = await screen.findByRole('region', { name: 'Stage Promote?' }, { timeout: 10_000 });
    await user.click(within(stage).getByRole('button', { name: 'Restart stage' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toContain('This goes past a rejected judgment');
    const confirm = within(dialog).getByRole('button', { name: 'Restart stage' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await user.type(within(dialog).getByLabelText(/Reason/), 'incident 42: the fix must ship');
    await user.click(confirm);
    const record = () => within(screen.getByRole('region', { name: 'Stage Promote?' })).getByRole('list', { name: 'Audit record' }).textContent;
    await waitFor(() => expect(record()).toMatch(/Restarted \(attempt 1\) past a rejected judgment by ada .*incident 42: the fix must ship/), { timeout: 10_000 });
  });
});
