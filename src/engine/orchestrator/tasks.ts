import { COMPLETED, type ExecutionStatus, type StageTask } from '../../shared/domain/execution';

/**
 * The stage's task list after one step: a new phase name closes the running task (SUCCEEDED) and
 * opens the next; an ended stage closes its last task with the stage's own status. Pure, so the
 * list is rebuilt the same way whichever process steps the stage.
 */
export function nextTasks(tasks: readonly StageTask[], name: string, stageStatus: ExecutionStatus, at: string): StageTask[] {
  const list = tasks.map((t) => ({ ...t }));
  const last = list.at(-1);
  const open = last && !last.endedAt ? last : undefined;
  let current = open;
  if (!open || open.name !== name) {
    if (open) Object.assign(open, { status: 'SUCCEEDED', endedAt: at });
    current = { name, status: 'RUNNING', startedAt: at };
    list.push(current);
  }
  current!.status = stageStatus;
  if (COMPLETED.has(stageStatus)) current!.endedAt = at;
  return list;
}

/** Closes a still-open task when the stage is ended from outside (cancel, halt, timeout). */
export function closeTasks(tasks: readonly StageTask[], status: ExecutionStatus, at: string): StageTask[] {
  return tasks.map((t) => (t.endedAt ? t : { ...t, status, endedAt: at }));
}
