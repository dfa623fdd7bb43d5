import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { StageExecution } from '../../../shared/domain/execution';
import { db } from '../../../../mocks/db';
import { layeredLayout } from '../../lib/graph-layout/layered-layout';
import { ExecutionGraph } from './execution-graph';

const base = db.executions[1]!.stages[0]!;
const stage = (refId: string, name: string, after: string[], status: StageExecution['status'] = 'NOT_STARTED'): StageExecution =>
  ({ ...base, refId, name, requisiteStageRefIds: after, status, startedAt: undefined, endedAt: undefined }) as StageExecution;

// Fan-out from the bake to two deploys, fan-in to the judgment.
const stages = [
  stage('bake', 'Bake', [], 'SUCCEEDED'),
  stage('east', 'Deploy to staging east', ['bake'], 'SUCCEEDED'),
  stage('west', 'Deploy to staging west and run the long smoke test suite against it', ['bake'], 'RUNNING'),
  stage('ok', 'Approve', ['east', 'west']),
];

const box = (name: RegExp) => screen.getByRole('button', { name }).closest('li')!;
const at = (li: HTMLElement) => ({ x: parseFloat(li.style.left), y: parseFloat(li.style.top) });

describe('execution graph', () => {
  it('draws every dependency as an edge: fan-out and fan-in, laid out as the editor lays the pipeline out', () => {
    const { container } = render(<ExecutionGraph stages={stages} selected="ok" onSelect={() => undefined} now={Date.now()} />);
    const edges = [...container.querySelectorAll('[data-edge]')].map((e) => e.getAttribute('data-edge'));
    expect(edges.sort()).toEqual(['bake->east', 'bake->west', 'east->ok', 'west->ok']);
    for (const e of container.querySelectorAll('[data-edge]')) expect(e.getAttribute('d')).toMatch(/^M[\d.-]+,[\d.-]+[LC]/);
    // The two deploys side by side in one column, between the bake and the judgment.
    const [bake, east, west, ok] = [/^Bake:/, /^Deploy to staging east:/, /^Deploy to staging west/, /^Approve:/].map((n) => at(box(n)));
    expect(east!.x).toBe(west!.x);
    expect(east!.y).not.toBe(west!.y);
    expect(bake!.x).toBeLessThan(east!.x);
    expect(ok!.x).toBeGreaterThan(east!.x);
    // The editor's layout module placed them (offset by the same margin).
    const editor = layeredLayout(
      stages.map((s) => s.refId),
      [
        { source: 'bake', target: 'east' },
        { source: 'bake', target: 'west' },
        { source: 'east', target: 'ok' },
        { source: 'west', target: 'ok' },
      ],
    ).positions;
    expect(west!.y - bake!.y).toBe(editor.west!.y - editor.bake!.y);
    expect(ok!.x - bake!.x).toBe(editor.ok!.x - editor.bake!.x);
  });

  it('gives the full stage name (and what it waits for) on hover and on keyboard focus', async () => {
    const user = userEvent.setup();
    render(<ExecutionGraph stages={stages} selected={undefined} onSelect={() => undefined} now={Date.now()} />);
    const node = screen.getByRole('button', { name: /^Deploy to staging west/ });
    const tip = document.getElementById(node.getAttribute('aria-describedby')!)!;
    expect(tip.getAttribute('role')).toBe('tooltip');
    expect(tip.textContent).toBe('Deploy to staging west and run the long smoke test suite against it — after Bake');
    // Shown by the node's hover and focus (CSS on the node's box).
    expect(tip.className).toMatch(/group-hover:block/);
    expect(tip.className).toMatch(/group-focus-within:block/);
    await user.tab();
    await user.tab();
    await user.tab();
    expect(within(document.activeElement!.closest('li')!).getByRole('tooltip').textContent).toMatch(/^Deploy to staging west and run/);
    expect(screen.getByRole('button', { name: /^Approve:/ }).getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(screen.getByRole('button', { name: /^Approve:/ }).getAttribute('aria-describedby')!)!.textContent).toBe(
      'Approve — after Deploy to staging east, Deploy to staging west and run the long smoke test suite against it',
    );
  });
});
