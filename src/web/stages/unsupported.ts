import type { StageUi } from './stage-ui';

export const unsupportedUi: StageUi = {
  icon: 'M12 8v5M12 16.5v.5M10.3 3.9L2.4 18a2 2 0 0 0 1.7 3h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z',
  tone: 'bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
  summary: () => 'unsupported: replace or remove',
  help: {},
};
