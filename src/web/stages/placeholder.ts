import { defineStageUi, str } from './stage-ui';

export const placeholderUi = defineStageUi('placeholder', {
  icon: 'M4 4h16v16H4zM4 4l16 16M20 4L4 20',
  tone: 'bg-zinc-200 text-zinc-500 dark:bg-zinc-800 dark:text-zinc-400',
  summary: (c) => `placeholder (${str(c.sourceType, '?')}): disabled, replace before running`,
  about: (c) => `Placeholder for ${str(c.source, 'spinnaker')}'s ${str(c.sourceType, '?')} stage; ${str(c.reason, 'Kiln cannot run it yet')}`,
  help: {
    sourceType: 'The stage type where this stage came from.',
    reason: 'Why Kiln cannot run it; replace it with a Kiln stage (its original settings are kept in original).',
  },
});
