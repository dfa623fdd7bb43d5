import { describe, expect, it } from 'vitest';
import { nextTasks } from './tasks';

describe('nextTasks', () => {
  it('opens a task per phase, closes the previous one, and ends the last with the stage status', () => {
    let tasks = nextTasks([], 'Call https://ci.example/build', 'RUNNING', 't1');
    tasks = nextTasks(tasks, 'Call https://ci.example/build', 'RUNNING', 't2');
    expect(tasks).toEqual([{ name: 'Call https://ci.example/build', status: 'RUNNING', startedAt: 't1' }]);
    tasks = nextTasks(tasks, 'Poll the status URL', 'RUNNING', 't3');
    tasks = nextTasks(tasks, 'Poll the status URL', 'TERMINAL', 't4');
    expect(tasks).toEqual([
      { name: 'Call https://ci.example/build', status: 'SUCCEEDED', startedAt: 't1', endedAt: 't3' },
      { name: 'Poll the status URL', status: 'TERMINAL', startedAt: 't3', endedAt: 't4' },
    ]);
  });

  it('shows a stage waiting on a person as a SUSPENDED task that is still open', () => {
    expect(nextTasks([], 'Manual Judgment', 'SUSPENDED', 't1')).toEqual([{ name: 'Manual Judgment', status: 'SUSPENDED', startedAt: 't1' }]);
  });
});
