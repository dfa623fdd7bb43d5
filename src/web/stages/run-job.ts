import { clip, defineStageUi, str } from './stage-ui';

export const runJobUi = defineStageUi('runJob', {
  icon: 'M4 17l6-5-6-5M12 19h8',
  tone: 'bg-emerald-100 text-emerald-700 dark:bg-emerald-950 dark:text-emerald-300',
  summary: (c) => `${typeof c.image === 'string' && c.image ? `[${clip(c.image, 20)}] ` : ''}$ ${clip(str(c.command, '(no command)').split('\n')[0] ?? '', 36)}`,
  about: (c) => (typeof c.command === 'string' ? `Runs: ${c.command}` : undefined),
  help: {
    command: 'Run by /bin/sh -c; the exit code decides success. ${ … } templates are filled in first.',
    workingDir: 'Directory to run in, relative to the job workspace (no "..").',
    env: 'Environment variables, one NAME=value per line.',
    timeoutSec: 'Kill the command (and its children) after this many seconds.',
    successExitCodes: 'Exit codes that count as success, comma-separated.',
    account: 'A docker account (the job runs as a container) or a kubernetes account (as a Job); needs EXECUTE there. Empty: on the Kiln host.',
    region: "With a kubernetes account: the namespace the Job runs in, one of the account's (its first when empty).",
    image: 'With an account: the container image, an OCI reference (docker.io/library/debian:12) or a Kiln image (name:version).',
  },
  multiline: ['command'],
});
