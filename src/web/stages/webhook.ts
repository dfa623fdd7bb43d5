import { clip, defineStageUi, str } from './stage-ui';

export const webhookUi = defineStageUi('webhook', {
  icon: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
  tone: 'bg-rose-100 text-rose-700 dark:bg-rose-950 dark:text-rose-300',
  summary: (c) => `${str(c.method, 'POST')} ${clip(str(c.url, '(no URL)').replace(/^https?:\/\//, ''), 34)}`,
  about: (c) => (typeof c.url === 'string' ? `Calls ${String(c.method ?? 'POST')} ${c.url}` : undefined),
  help: {
    method: 'HTTP method of the call.',
    url: 'An http(s) URL or a ${ … } expression.',
    headers: 'Request headers, one Name=value per line.',
    body: 'Request body; ${ … } templates are filled in when the stage runs.',
    successStatusCodes: 'Status codes that count as success, comma-separated.',
    timeoutSec: 'Give up on the call after this many seconds.',
    poll: 'Optional JSON: {"statusUrl","statusField","successValues":[…]} to poll until the remote job is done.',
  },
  multiline: ['body'],
});
