import type { PipelineProblem } from '../../../../shared/domain/pipeline-validate';

interface ProblemsListProps {
  problems: readonly PipelineProblem[];
  onSelect: (refId: string) => void;
}

/** Every problem the BFF would refuse the save for, in words (the path is in the tooltip); a stage's problem selects that stage. */
export function ProblemsList({ problems, onSelect }: ProblemsListProps) {
  return (
    <section aria-label="Problems" className="flex flex-col gap-1">
      <h2 className="text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
        {problems.length === 0 ? 'No problems' : `${problems.length} problem${problems.length === 1 ? '' : 's'}`}
      </h2>
      <ul className="flex max-h-24 flex-col gap-0.5 overflow-y-auto text-sm">
        {problems.map((p, i) => (
          <li key={`${p.path}-${i}`}>
            {p.stageRefId ? (
              <button
                type="button"
                title={p.path}
                onClick={() => onSelect(p.stageRefId!)}
                className="w-full rounded px-1 py-0.5 text-left text-red-700 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-orange-500 dark:text-red-400 dark:hover:bg-red-950"
              >
                <span className="font-medium">{p.stageName ?? p.stageRefId}</span>: {p.message}
              </button>
            ) : (
              <p className="px-1 py-0.5 text-red-700 dark:text-red-400" title={p.path}>
                {p.message}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
