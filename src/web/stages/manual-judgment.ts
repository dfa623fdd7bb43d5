import { clip, defineStageUi, str } from './stage-ui';

export const manualJudgmentUi = defineStageUi('manualJudgment', {
  icon: 'M9 12l2 2 4-4M12 3l8 4v5c0 5-3.5 8-8 9-4.5-1-8-4-8-9V7l8-4z',
  tone: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300',
  summary: (c) => {
    const roles = Array.isArray(c.allowedRoles) && c.allowedRoles.length > 0 ? ` · ${c.allowedRoles.join(', ')}` : '';
    return `${clip(str(c.instructions, 'Approve?'), 32)}${roles}`;
  },
  help: {
    instructions: 'What the approver should check before deciding; ${ … } templates are filled in when the stage runs.',
    inputOptions: 'Choices the approver picks from (one per line), e.g. "rollback" or "continue"; later stages read the choice.',
    allowedRoles: 'Only people with one of these roles may judge (one per line); empty means anyone.',
    separationOfDuties: 'The person who started the execution may not judge it.',
    timeoutSec: 'Fail the stage if nobody judges within this many seconds.',
  },
  multiline: ['instructions'],
});
