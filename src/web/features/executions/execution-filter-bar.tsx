import { useSearchParams } from 'react-router';
import { ExecutionStatus } from '../../../shared/domain/execution';
import type { Pipeline } from '../../../shared/domain/pipeline';
import { Button } from '../../components/button';
import { FILTER_PARAMS, SINCE_OPTIONS, TRIGGER_TYPES } from './execution-filters';

const selectClass = 'h-8 rounded-md border border-zinc-300 bg-white pr-7 pl-2 text-sm text-zinc-900 shadow-xs dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100';

function Filter({ name, label, allLabel, options }: { name: string; label: string; allLabel: string; options: ReadonlyArray<[string, string]> }) {
  const [params, setParams] = useSearchParams();
  const value = params.get(name) ?? '';
  const shown = value && !options.some(([v]) => v === value) ? [[value, value] as [string, string], ...options] : options;
  return (
    <label className="flex items-center gap-1.5 text-xs font-medium text-zinc-600 dark:text-zinc-400">
      {label}
      <select
        value={value}
        className={selectClass}
        onChange={(e) =>
          setParams(
            (prev) => {
              const next = new URLSearchParams(prev);
              if (e.target.value) next.set(name, e.target.value);
              else next.delete(name);
              return next;
            },
            { replace: true },
          )
        }
      >
        <option value="">{allLabel}</option>
        {shown.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Every filter lives in the URL, so a filtered history can be shared and survives reload. */
export function ExecutionFilterBar({ pipelines }: { pipelines: readonly Pipeline[] }) {
  const [params, setParams] = useSearchParams();
  const active = FILTER_PARAMS.some((p) => params.has(p));
  return (
    <div role="search" aria-label="Filter executions" className="flex flex-wrap items-center gap-3">
      <Filter name="status" label="Status" allLabel="Any status" options={ExecutionStatus.options.map((s) => [s, s.toLowerCase().replace('_', ' ')])} />
      <Filter name="pipeline" label="Pipeline" allLabel="All pipelines" options={pipelines.map((p) => [p.id, p.name])} />
      <Filter name="trigger" label="Trigger" allLabel="Any trigger" options={TRIGGER_TYPES.map((t) => [t, t])} />
      <Filter name="since" label="Started" allLabel="Any time" options={Object.keys(SINCE_OPTIONS).map((s) => [s, `last ${s}`])} />
      {active && (
        <Button
          variant="ghost"
          size="sm"
          onClick={() =>
            setParams((prev) => {
              const next = new URLSearchParams(prev);
              for (const p of FILTER_PARAMS) next.delete(p);
              return next;
            })
          }
        >
          Clear filters
        </Button>
      )}
    </div>
  );
}
