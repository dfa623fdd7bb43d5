import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../../mocks/db';
import { Pipeline } from '../../../../shared/domain/pipeline';
import { renderApp } from '../../../test/render-app';
import { useReactFlowEnvironment } from '../../../test/react-flow-env';
import { codeText, setCodeText } from './code-editor-testing';

const ID = '0b6c5f43-2d4e-4a43-9d4e-3c1f3e7a9a01';
const EDITOR = `/applications/web/pipelines/${ID}/edit`;

useReactFlowEnvironment();

const node = (name: string) => screen.getByRole('group', { name: `Stage ${name}` });
const status = () => screen.getByRole('toolbar', { name: 'Pipeline editor' }).querySelector('[role="status"]')?.textContent ?? '';
const newest = () => db.pipelineRevisions.filter((r) => r.pipeline.id === ID).at(-1)!.pipeline;

describe('pipelines tab', () => {
  it('lists the pipelines and creates a new one straight into the editor', async () => {
    const { user, router } = renderApp('/applications/web/pipelines');
    expect(await screen.findByRole('link', { name: 'Deploy to production' }, { timeout: 5000 })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'New pipeline' }));
    await user.type(screen.getByLabelText('Pipeline name'), 'Nightly');
    await user.click(screen.getByRole('button', { name: 'Create and edit' }));
    await waitFor(() => expect(router.state.location.pathname).toMatch(/^\/applications\/web\/pipelines\/[0-9a-f-]{36}\/edit$/), { timeout: 5000 });
    expect(await screen.findByText('Saved · revision 1', undefined, { timeout: 5000 })).toBeTruthy();
    expect(db.pipelineRevisions.some((r) => r.pipeline.name === 'Nightly')).toBe(true);
  });
});

describe('pipeline editor', () => {
  it('adds a stage after the selected one, shows a config problem on the node and the list, refuses the save, then saves the fix', async () => {
    const { user } = renderApp(EDITOR);
    fireEvent.click(await screen.findByText('Approve', undefined, { timeout: 5000 }));
    expect(screen.getByText(/click to add after Approve/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: /^Add Wait/ }));
    expect(node('Wait')).toBeTruthy();

    const panel = screen.getByRole('region', { name: 'Stage Wait' });
    const seconds = within(panel).getByLabelText('Wait time (seconds)');
    await user.clear(seconds);
    await user.type(seconds, 'soon');
    expect(within(panel).getAllByText('Wait time must be a number or a ${ … } expression').length).toBeGreaterThan(0);
    expect(within(screen.getByRole('region', { name: 'Problems' })).getByRole('button', { name: 'Wait: Wait time must be a number or a ${ … } expression' })).toBeTruthy();
    expect(within(node('Wait')).getByLabelText('1 problem')).toBeTruthy();
    const problems = screen.getByRole('region', { name: 'Problems' });
    expect(within(problems).getByText('1 problem')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByText(/Not saved: fix the 1 problem/)).toBeTruthy();
    expect(newest().revision).toBe(1);

    await user.clear(seconds);
    await user.type(seconds, '45');
    expect(within(problems).getByText('No problems')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(status()).toContain('Saved · revision 2'), { timeout: 5000 });
    expect(newest().stages.map((s) => [s.name, s.requisiteStageRefIds])).toEqual([
      ['Tests', []],
      ['Approve', ['test']],
      ['Wait', ['ok']],
    ]);
    expect(newest().stages[2]!.config).toEqual({ seconds: 45, skippable: true });
  });

  it('clicking a problem selects its stage', async () => {
    const { user } = renderApp(EDITOR);
    fireEvent.click(await screen.findByText('Tests', undefined, { timeout: 5000 }));
    const command = within(screen.getByRole('region', { name: 'Stage Tests' })).getByLabelText('Command');
    await user.clear(command);
    fireEvent.click(screen.getByText('Approve'));
    await user.click(within(screen.getByRole('region', { name: 'Problems' })).getByRole('button', { name: /Tests: Command must not be empty/ }));
    expect(screen.getByRole('region', { name: 'Stage Tests' })).toBeTruthy();
  });

  it('marks a stage that waits for a missing stage as unreachable on its node and in the list, and refuses the save until fixed', async () => {
    const { user } = renderApp(EDITOR);
    await screen.findByText('Tests', undefined, { timeout: 5000 });
    // Tests now waits for a 'lint' stage nobody added: Tests can never start, so neither can Approve.
    await user.click(screen.getByRole('button', { name: 'JSON' }));
    const text = await screen.findByLabelText('Pipeline as JSON', undefined, { timeout: 20_000 });
    const doc = JSON.parse(codeText(text)) as { stages: Array<{ requisiteStageRefIds: string[] }> };
    doc.stages[0]!.requisiteStageRefIds = ['lint'];
    setCodeText(text, JSON.stringify(doc, null, 2));
    await user.click(screen.getByRole('button', { name: 'Graph' }));

    expect(within(node('Approve')).getByLabelText('1 problem')).toBeTruthy();
    expect(node('Approve').querySelector('[title]')?.getAttribute('title')).toMatch(/^unreachable: it waits for 'Tests'/);
    const problems = screen.getByRole('region', { name: 'Problems' });
    expect(within(problems).getByText('2 problems')).toBeTruthy();
    await user.click(within(problems).getByRole('button', { name: /Approve: unreachable: it waits for 'Tests', which depends on a stage that does not exist/ }));
    expect(within(screen.getByRole('region', { name: 'Stage Approve' })).getByRole('alert').textContent).toMatch(/^unreachable: it waits for 'Tests'/);

    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByText(/Not saved: fix the 2 problems/)).toBeTruthy();
    expect(newest().revision).toBe(1);

    fireEvent.click(within(node('Tests')).getByText('Tests'));
    await user.click(screen.getByRole('button', { name: 'Remove dependency on lint' }));
    expect(within(problems).getByText('No problems')).toBeTruthy();
    expect(within(node('Approve')).queryByLabelText('1 problem')).toBeNull();
  });

  it('undoes and redoes with Ctrl+Z and Ctrl+Shift+Z', async () => {
    const { user } = renderApp(EDITOR);
    fireEvent.click(await screen.findByText('Approve', undefined, { timeout: 5000 }));
    await user.click(screen.getByRole('button', { name: /^Add Webhook/ }));
    expect(node('Webhook')).toBeTruthy();
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    expect(screen.queryByRole('group', { name: 'Stage Webhook' })).toBeNull();
    expect(status()).toBe('Saved · revision 1');
    fireEvent.keyDown(document.body, { key: 'Z', ctrlKey: true, shiftKey: true });
    expect(node('Webhook')).toBeTruthy();
    expect(status()).toBe('Unsaved changes');
  });

  it('on a conflicting save shows theirs next to mine, and overwrites only when asked', async () => {
    const { user } = renderApp(EDITOR);
    fireEvent.click(await screen.findByText('Tests', undefined, { timeout: 5000 }));
    // Someone else saves revision 2 meanwhile.
    const theirs = Pipeline.parse({ ...newest(), name: 'Deploy to prod (theirs)', revision: 2 });
    db.pipelineRevisions.push({ revision: 2, updatedAt: theirs.updatedAt, updatedBy: 'alice', pipeline: { ...theirs, updatedBy: 'alice' } });

    const name = within(screen.getByRole('region', { name: 'Stage Tests' })).getByLabelText('Name');
    await user.type(name, ' (mine)');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const dialog = await screen.findByRole('dialog', { name: /alice saved revision 2 while you were editing/ });
    const diff = within(dialog).getByRole('table');
    expect(within(diff).getByText(/"name": "Deploy to prod \(theirs\)"/)).toBeTruthy();
    expect(within(diff).getByText(/"name": "Tests \(mine\)"/)).toBeTruthy();
    expect(newest().revision).toBe(2);

    await user.click(within(dialog).getByRole('button', { name: 'Overwrite with mine' }));
    await waitFor(() => expect(newest().revision).toBe(3), { timeout: 5000 });
    expect(newest().stages[0]!.name).toBe('Tests (mine)');
    expect(newest().name).toBe('Deploy to production');
  });

  it('edits the same draft as JSON: a parsed edit reaches the graph, a syntax error is kept across views', async () => {
    const { user } = renderApp(EDITOR);
    await screen.findByText('Tests', undefined, { timeout: 5000 });
    await user.click(screen.getByRole('button', { name: 'JSON' }));
    const text = await screen.findByLabelText('Pipeline as JSON', undefined, { timeout: 20_000 });
    setCodeText(text, codeText(text).replace('"name": "Tests"', '"name": "Unit tests"'));
    await user.click(screen.getByRole('button', { name: 'Graph' }));
    expect(node('Unit tests')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'YAML' }));
    const yaml = await screen.findByLabelText('Pipeline as YAML');
    expect(codeText(yaml)).toMatch(/name: Unit tests/);
    setCodeText(yaml, `${codeText(yaml)}\nstages: [oops`);
    expect(screen.getByText(/YAML syntax:/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Graph' }));
    await user.click(screen.getByRole('button', { name: 'YAML' }));
    expect(codeText(await screen.findByLabelText('Pipeline as YAML'))).toMatch(/stages: \[oops$/);
  });
});
