import { parse } from 'yaml';
import { renderProvisioning } from '../../shared/api/provisioning';
import { formatDiagnostic } from '../../shared/provisioning/diagnostic';
import { RENDER_FORMATS, type RenderFormat } from '../../shared/provisioning/render';
import { defineCommand } from '../command';
import { EXIT, usageError } from '../io';
import { readInput } from './tools';

export const provisioningCommands = [
  defineCommand({
    words: ['provisioning', 'render'],
    args: ['FILE?'],
    summary: 'Render a provisioning intent (YAML or JSON: hostname, users, files, units, runcmd; a file or stdin) as cloud-init, Ignition or Butane',
    options: { format: { type: 'string', default: 'cloud-init' } },
    optionHelp: [`--format F  ${RENDER_FORMATS.join(' | ')} (default cloud-init)`],
    async run({ io, client, values, positionals, json }) {
      const format = values.format as string;
      if (!(RENDER_FORMATS as readonly string[]).includes(format)) throw usageError(`--format must be one of ${RENDER_FORMATS.join(', ')}, not '${format}'`);
      const text = await readInput(positionals[0], io.stdin);
      if (text.trim() === '') throw usageError('no intent given: pass a FILE or pipe it on stdin');
      let intent: unknown;
      try {
        // YAML 1.2 reads JSON too.
        intent = parse(text);
      } catch (err) {
        throw usageError(`the intent is not YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
      }
      if (intent === null || typeof intent !== 'object' || Array.isArray(intent)) throw usageError('the intent must be a mapping (hostname, users, files, units, runcmd)');
      const rendered = await client(renderProvisioning, { body: { intent: intent as never, format: format as RenderFormat } });
      for (const w of rendered.warnings) io.stderr.write(`${formatDiagnostic('warning', w)}\n`);
      io.stdout.write(json ? `${JSON.stringify(rendered, null, 2)}\n` : rendered.output);
      return EXIT.ok;
    },
  }),
];
