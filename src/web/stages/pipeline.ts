import { defineStageUi, str } from './stage-ui';

export const pipelineUi = defineStageUi('pipeline', {
  icon: 'M4 6h6v6H4zM14 12h6v6h-6zM10 9h2a2 2 0 0 1 2 2v4',
  tone: 'bg-indigo-100 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300',
  summary: (c) => `runs ${str(c.application, '?')} / ${str(c.pipeline, '?')}${c.waitForCompletion === false ? ' (no wait)' : ''}`,
  about: (c) => (typeof c.pipeline === 'string' ? `Starts pipeline ${c.pipeline}` : undefined),
  help: {
    application: 'Application of the pipeline to start.',
    pipeline: 'Name or id of the pipeline to start.',
    parameters: 'Parameters passed to it, one name=value per line; values may be ${ … } templates.',
    waitForCompletion: 'Wait for the started execution to finish and take its outcome.',
  },
});
