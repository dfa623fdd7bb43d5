import { clip, defineStageUi, str } from './stage-ui';

export const jenkinsUi = defineStageUi('jenkins', {
  icon: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zm-3 7h.01M15 10h.01M8.5 15a4 4 0 0 0 7 0',
  tone: 'bg-red-100 text-red-700 dark:bg-red-950 dark:text-red-300',
  summary: (c) => `${clip(str(c.job, '(no job)'), 30)} on ${str(c.server, '(no server)')}`,
  about: (c) => (typeof c.job === 'string' ? `Builds Jenkins job ${c.job} on CI server ${str(c.server, '?')}` : undefined),
  help: {
    server: 'The CI server, by its name in Kiln (Settings → CI servers); its user and token are set by an admin.',
    job: 'The job, folders written folder/job; may be a ${ … } expression.',
    parameters: 'Build parameters, one NAME=value per line; ${ … } templates are filled in when the stage runs.',
    propertiesFile: "An archived artifact with key=value lines; later stages read them as stages['…'].outputs.properties.KEY.",
    unstableIsSuccess: 'Count an UNSTABLE build (tests failed) as success.',
    pollSec: 'How often Kiln asks Jenkins for the queue, the console and the result.',
  },
});
