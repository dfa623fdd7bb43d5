import { useMemo, useState } from 'react';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { PipelineDraft } from '../../../../shared/domain/pipeline';
import type { PipelineProblem } from '../../../../shared/domain/pipeline-validate';
import { CodeEditor, type CodeMark } from './code-editor';
import { useDraft, useDraftStore } from './draft-context';
import { lenientDraft } from './pipeline-draft';
import { offsetOfPath } from './problem-lines';
import { useTheme } from './use-theme';
import { useReadOnly } from './read-only';

type Format = 'json' | 'yaml';

export function serialize(draft: PipelineDraft, format: Format): string {
  return format === 'json' ? `${JSON.stringify(draft, null, 2)}\n` : stringifyYaml(draft, { lineWidth: 0 });
}

function parseText(text: string, format: Format): { value: unknown } | { error: string } {
  try {
    return { value: format === 'json' ? (JSON.parse(text) as unknown) : (parseYaml(text) as unknown) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/**
 * The same draft as JSON or YAML. Every edit that parses is applied to the draft at once (so the
 * graph and the problems follow); text that does not parse yet is kept, with the error, until fixed.
 */
export function CodeView({ format, problems }: { format: Format; problems: readonly PipelineProblem[] }) {
  const store = useDraftStore();
  const draft = useDraft((s) => s.draft);
  const buffer = useDraft((s) => s.codeBuffer);
  const [shapeError, setShapeError] = useState<string>();
  const text = useMemo(() => (buffer?.format === format ? buffer.text : serialize(draft, format)), [buffer, draft, format]);
  const pending = buffer?.format === format ? parseText(buffer.text, format) : undefined;
  const syntaxError = pending && 'error' in pending ? pending.error : undefined;
  const otherPending = buffer && buffer.format !== format;
  const dark = useTheme() === 'dark';
  const readOnly = useReadOnly() !== undefined;
  // Each problem on the line of the field it names (stages[6].config.seconds → that stage's `seconds:`).
  const located = useMemo(() => problems.map((p) => ({ problem: p, offset: offsetOfPath(text, p.path) })), [problems, text]);
  const marks = useMemo<CodeMark[]>(
    () =>
      located.flatMap(({ problem, offset }) =>
        offset === undefined ? [] : [{ offset, message: problem.stageName ? `${problem.stageName}: ${problem.message}` : problem.message }],
      ),
    [located],
  );
  const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;

  const onChange = (next: string) => {
    const parsed = parseText(next, format);
    const codeBuffer = { format, text: next };
    if ('error' in parsed) return store.getState().setCodeBuffer(codeBuffer);
    const result = lenientDraft(parsed.value, store.getState().draft);
    if ('error' in result) {
      setShapeError(result.error);
      return store.getState().setCodeBuffer(codeBuffer);
    }
    setShapeError(undefined);
    store.getState().replaceDraft(result.draft, { codeBuffer, key: `code:${format}` });
  };

  return (
    <div className="flex h-full flex-col">
      {otherPending && (
        <p role="alert" className="border-b border-amber-300 bg-amber-50 px-3 py-1 text-xs text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
          Your {buffer.format.toUpperCase()} text has an error and is kept in the {buffer.format.toUpperCase()} view; this shows the last draft that parsed.
        </p>
      )}
      <CodeEditor key={format} text={text} format={format} label={`Pipeline as ${format.toUpperCase()}`} marks={marks} dark={dark} readOnly={readOnly} onChange={onChange} />
      <div className="max-h-40 overflow-y-auto border-t border-zinc-200 px-3 py-2 text-xs dark:border-zinc-800" aria-label="Text problems">
        {syntaxError ? (
          <p role="alert" className="text-red-600 dark:text-red-400">
            {format.toUpperCase()} syntax: {syntaxError}. The graph keeps the last version that parsed.
          </p>
        ) : shapeError ? (
          <p role="alert" className="text-red-600 dark:text-red-400">
            Cannot draw this: {shapeError}.
          </p>
        ) : problems.length === 0 ? (
          <p className="text-emerald-700 dark:text-emerald-400">Valid: the server would accept this pipeline.</p>
        ) : (
          <ul>
            {located.map(({ problem: p, offset }, i) => (
              <li key={i} className="text-red-700 dark:text-red-400" title={p.path}>
                {offset !== undefined && <span className="font-mono text-zinc-600 dark:text-zinc-400">line {lineAt(offset)}: </span>}
                {p.stageName && <span className="font-medium">{p.stageName}: </span>}
                {p.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
