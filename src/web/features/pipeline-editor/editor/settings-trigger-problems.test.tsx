import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../../mocks/db';
import { renderApp } from '../../../test/render-app';
import { useReactFlowEnvironment } from '../../../test/react-flow-env';

const ID = '0b6c5f43-2d4e-4a43-9d4e-3c1f3e7a9a01';
const EDITOR = `/applications/web/pipelines/${ID}/edit`;

useReactFlowEnvironment();

describe('a stored trigger that can never fire', () => {
  it('is marked invalid on the trigger itself, naming the field, when a webhook constraint saved before the rule holds ${', async () => {
    // What an older Kiln stored: the rule against `${` in trigger fields came later.
    const stored = db.pipelineRevisions.find((r) => r.pipeline.id === ID)!.pipeline;
    const webhook = stored.triggers[1]!;
    if (webhook.type !== 'webhook') throw new Error('the mock pipeline’s second trigger is its webhook');
    webhook.payloadConstraints = { ref: 'refs/heads/${ parameters.branch }' };
    renderApp(EDITOR);
    const trigger = await screen.findByRole('group', { name: 'Trigger 2' }, { timeout: 45_000 });
    const alert = await within(trigger).findByRole('alert', undefined, { timeout: 5000 });
    expect(alert.textContent).toMatch(/^Invalid: this trigger never starts a run until triggers\[1\]\.payloadConstraints\.ref is fixed/);
    expect(alert.textContent).toContain('is not evaluated there');
    expect(within(screen.getByRole('group', { name: 'Trigger 1' })).queryByRole('alert')).toBeNull();
  }, 60_000);

  it('is marked invalid on the trigger itself, naming the field, when a cron schedule saved before the rule holds ${', async () => {
    const stored = db.pipelineRevisions.find((r) => r.pipeline.id === ID)!.pipeline;
    stored.triggers[0] = { type: 'cron', id: 'nightly', enabled: true, expression: '0 ${ parameters.hour } * * *', timezone: 'UTC', runAs: 'ana', setAt: new Date().toISOString() };
    renderApp(EDITOR);
    const trigger = await screen.findByRole('group', { name: 'Trigger 1' }, { timeout: 45_000 });
    const alert = await within(trigger).findByRole('alert', undefined, { timeout: 5000 });
    expect(alert.textContent).toMatch(/^Invalid: this trigger never starts a run until triggers\[0\]\.expression is fixed/);
    expect(alert.textContent).toContain('is a cron schedule read as written');
  }, 60_000);
});
