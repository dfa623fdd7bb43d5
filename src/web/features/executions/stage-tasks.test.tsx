import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { StageTasks } from './stage-tasks';

describe('stage tasks', () => {
  it('lists each phase with its status and how long it took, the open one still counting', () => {
    const now = Date.parse('2026-11-23T10:01:00.000Z');
    render(
      <StageTasks
        now={now}
        tasks={[
          { name: 'Call https://ci.example/build', status: 'SUCCEEDED', startedAt: '2026-11-23T10:00:00.000Z', endedAt: '2026-11-23T10:00:02.000Z' },
          { name: 'Poll the status URL', status: 'RUNNING', startedAt: '2026-11-23T10:00:02.000Z' },
        ]}
      />,
    );
    const items = within(screen.getByRole('list', { name: 'Tasks' })).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringMatching(/Call https:\/\/ci\.example\/build.*2(\.0)? ?s/),
      expect.stringMatching(/Poll the status URL.*58(\.0)? ?s/),
    ]);
  });

  it('shows nothing for a stage that has not run', () => {
    const { container } = render(<StageTasks tasks={[]} now={0} />);
    expect(container.textContent).toBe('');
  });
});
