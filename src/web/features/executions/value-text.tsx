/** Any output or parameter value as plain text: strings as they are, the rest as JSON. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2) ?? String(value);
}

export function KeyValues({ label, values, empty }: { label: string; values: Record<string, unknown>; empty: string }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return <p className="text-sm text-zinc-500 dark:text-zinc-400">{empty}</p>;
  return (
    <dl aria-label={label} className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      {entries.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{k}</dt>
          <dd className="font-mono text-xs break-all whitespace-pre-wrap">{valueText(v)}</dd>
        </div>
      ))}
    </dl>
  );
}
