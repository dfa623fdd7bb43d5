import { useEffect, useId, useState } from 'react';
import { fromText, isExpressionText, toText, type FieldSpec } from './zod-fields';

const INPUT =
  'w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm text-zinc-900 focus:outline-2 focus:outline-orange-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100';

export const inputClasses = (invalid = false) => `${INPUT} ${invalid ? 'border-red-500 dark:border-red-500' : ''}`;

interface FieldInputProps {
  spec: FieldSpec;
  label: string;
  value: unknown;
  help?: string | undefined;
  errors?: readonly string[] | undefined;
  multiline?: boolean;
  onChange: (value: unknown) => void;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** One config field: a box whose text is kept while typing, and re-read when the draft changes elsewhere (undo). */
export function FieldInput({ spec, label, value, help, errors = [], multiline = false, onChange }: FieldInputProps) {
  const id = useId();
  const [text, setText] = useState(() => toText(spec.kind, value));
  const [parseError, setParseError] = useState<string>();
  // A list of choices (an enum) turns into a text box for a `${ … }`, and back.
  const [asExpression, setAsExpression] = useState(() => isExpressionText(value));

  useEffect(() => {
    const current = fromText(spec.kind, text, spec.optional);
    if (!('value' in current) || !same(current.value, value)) {
      setText(toText(spec.kind, value));
      setParseError(undefined);
      if (spec.kind.kind === 'enum') setAsExpression(isExpressionText(value));
    }
    // Only an outside change of the value re-syncs the text; typing must not be overwritten.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);

  const describedBy = `${id}-help ${id}-err`;
  const shown = parseError ? [parseError, ...errors] : errors;
  const edit = (next: string) => {
    setText(next);
    const parsed = fromText(spec.kind, next, spec.optional);
    if ('error' in parsed) setParseError(parsed.error);
    else {
      setParseError(undefined);
      onChange(parsed.value);
    }
  };

  const invalid = shown.length > 0;
  // The typed text is kept while it does not parse (the error says why).
  const typed = { id, value: text, onChange: (e: { target: { value: string } }) => edit(e.target.value), 'aria-invalid': invalid, 'aria-describedby': describedBy };
  const textBox =
    multiline || ['json', 'string-list', 'string-map'].includes(spec.kind.kind) ? (
      <textarea {...typed} className={`${inputClasses(invalid)} font-mono text-xs`} rows={spec.kind.kind === 'json' ? 6 : 3} spellCheck={false} />
    ) : (
      <input
        {...typed}
        className={inputClasses(invalid)}
        inputMode={spec.kind.kind === 'number' ? 'numeric' : undefined}
        placeholder={spec.default === undefined ? undefined : `default: ${toText(spec.kind, spec.default)}`}
      />
    );
  let field;
  if (spec.kind.kind === 'boolean') {
    field = (
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={(value ?? spec.default) === true} onChange={(e) => onChange(e.target.checked)} aria-describedby={describedBy} />
        {label}
      </label>
    );
  } else if (spec.kind.kind === 'enum') {
    field = (
      <>
        <FieldLabel id={id} label={label} optional={spec.optional} />
        <div className="flex items-center gap-2">
          <div className="min-w-0 flex-1">
            {asExpression ? (
              textBox
            ) : (
              <select
                id={id}
                className={inputClasses(invalid)}
                value={String(value ?? spec.default ?? '')}
                onChange={(e) => onChange(e.target.value || undefined)}
                aria-describedby={describedBy}
              >
                {spec.optional && <option value="">(none)</option>}
                {spec.kind.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            )}
          </div>
          <button
            type="button"
            className="shrink-0 rounded border border-zinc-300 px-1.5 py-0.5 font-mono text-xs text-zinc-600 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
            aria-pressed={asExpression}
            aria-label={`${label}: ${asExpression ? 'choose from the list' : 'use an expression'}`}
            title={asExpression ? 'Choose from the list' : 'Use a ${ … } expression, evaluated when the stage runs'}
            onClick={() => {
              const next = !asExpression;
              setAsExpression(next);
              // A start that names a parameter after the field: the problems list then says to declare it.
              const start = `\${ parameters.${spec.name} }`;
              setText(next ? start : '');
              onChange(next ? start : spec.default);
            }}
          >
            {'${ }'}
          </button>
        </div>
      </>
    );
  } else {
    field = (
      <>
        <FieldLabel id={id} label={label} optional={spec.optional} />
        {textBox}
      </>
    );
  }
  return (
    <div className="flex flex-col gap-0.5">
      {field}
      {help && (
        <p id={`${id}-help`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {help}
        </p>
      )}
      <Errors id={`${id}-err`} errors={shown} />
    </div>
  );
}

function FieldLabel({ id, label, optional }: { id: string; label: string; optional: boolean | undefined }) {
  return (
    <label htmlFor={id} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
      {label}
      {optional && <span className="font-normal text-zinc-500 dark:text-zinc-400"> (optional)</span>}
    </label>
  );
}

function Errors({ id, errors }: { id: string; errors: readonly string[] }) {
  return (
    <div id={id} role={errors.length > 0 ? 'alert' : undefined}>
      {errors.map((e) => (
        <p key={e} className="text-xs text-red-600 dark:text-red-400">
          {e}
        </p>
      ))}
    </div>
  );
}
