import { defineStageUi } from './stage-ui';

export const waitUi = defineStageUi('wait', {
  icon: 'M12 7v5l3 2M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z',
  tone: 'bg-sky-100 text-sky-700 dark:bg-sky-950 dark:text-sky-300',
  summary: (c) => (typeof c.seconds === 'number' ? `${c.seconds}s` : typeof c.seconds === 'string' ? c.seconds : 'no duration'),
  about: (c) => `Waits ${String(c.seconds ?? '?')} s`,
  help: {
    seconds: 'How long to pause: a number of seconds, or a ${ … } expression such as ${ parameters.delay }.',
    skippable: 'Let a person end the wait early from the execution page.',
  },
});
