import { useMemo, useState } from 'react';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { PipelineDraft } from '../../../../shared/domain/pipeline';
import type { PipelineProblem } from '../../../../shared/domain/pipeline-validate';
import { useDraft, useDraftStore } from './draft-context';
import { lenientDraft } from './pipeline-draft';

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

/** The line of a problem's stage in the text (by its refId), so the list can say where to look. */
function lineOf(text: string, problem: PipelineProblem): number | undefined {
  const ref = problem.stageRefId;
  if (!ref) return undefined;
  const lines = text.split('\n');
  const i = lines.findIndex((l) => new RegExp(`"?refId"?\\s*:\\s*["']?${ref.replace(/[-]/g, '\\-')}["']?\\s*,?\\s*$`).test(l));
  return i < 0 ? undefined : i + 1;
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
      <textarea
        aria-label={`Pipeline as ${format.toUpperCase()}`}
        className="min-h-0 flex-1 resize-none bg-white p-3 font-mono text-xs leading-5 text-zinc-900 outline-none dark:bg-zinc-950 dark:text-zinc-100"
        spellCheck={false}
        value={text}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={Boolean(syntaxError ?? shapeError)}
      />
      <div className="max-h-40 overflow-y-auto border-t border-zinc-200 px-3 py-2 text-xs dark:border-zinc-800" aria-label="Text problems">
        {syntaxError ? (
          <p role="alert" className="text-red-600 dark:text-red-400">
            {format.toUpperCase()} syntax: {syntaxError}. The graph keeps the last version that parsed.
          </p>
        ) : shapeError ? (
          <p role="alert" className="text-red-600 dark:text-red-400">Cannot draw this: {shapeError}.</p>
        ) : problems.length === 0 ? (
          <p className="text-emerald-700 dark:text-emerald-400">Valid: the server would accept this pipeline.</p>
        ) : (
          <ul>
            {problems.map((p, i) => {
              const line = lineOf(text, p);
              return (
                <li key={i} className="text-red-600 dark:text-red-400">
                  {line !== undefined && <span className="mr-1 font-mono text-zinc-500">line {line}</span>}
                  <span className="font-mono">{p.path}</span>: {p.message}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );
}
