import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { useFakeLayout } from '../../test/fake-layout';
import { renderApp } from '../../test/render-app';

useFakeLayout();

const FAILED = db.executions[1]!.id;

describe("an execution's pipeline as it is now", () => {
  it('says the pipeline was deleted and offers no re-run; the run itself stays readable', async () => {
    db.pipelineRevisions = [];
    renderApp(`/applications/web/executions/${FAILED}`);
    expect(await screen.findByRole('heading', { name: 'Deploy to production' }, { timeout: 20_000 })).toBeTruthy();
    expect(await screen.findByText('pipeline deleted', undefined, { timeout: 20_000 })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Re-run…' })).toBeNull();
  });

  it('links to the pipeline under its new name after a rename', async () => {
    const [first] = db.pipelineRevisions;
    db.pipelineRevisions.push({ ...first!, revision: 2, pipeline: { ...first!.pipeline, revision: 2, name: 'Ship it' } });
    renderApp(`/applications/web/executions/${FAILED}`);
    const link = await screen.findByRole('link', { name: 'Ship it' }, { timeout: 20_000 });
    expect(link.parentElement!.textContent).toBe('pipeline now named Ship it');
    expect(screen.getByRole('button', { name: 'Re-run…' })).toBeTruthy();
  });
});
