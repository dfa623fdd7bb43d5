import type { RecipeDraftInput } from '../../../shared/domain/recipe';

type Stage = { name?: string; base?: { type?: string; suite?: string; image?: string; path?: string }; provisioners?: unknown[] };
type Copy = { from?: string; source?: string; destination?: string };

const baseText = (b: Stage['base']) =>
  b?.type === 'debian' ? `debian ${b.suite ?? ''}` : b?.type === 'image' ? `image ${b.image ?? ''}` : b?.path ? `${b.type} ${b.path}` : (b?.type ?? 'scratch');

/**
 * A multi-stage recipe's build stages and what the image copies from each, as the form shows
 * provisioners: listed here, edited in the YAML view (they are lists of typed steps).
 */
export function RecipeStagesSummary({ draft }: { draft: Pick<RecipeDraftInput, 'stages' | 'copy'> }) {
  const stages = (draft.stages ?? []) as Stage[];
  const copies = (draft.copy ?? []) as Copy[];
  if (stages.length === 0 && copies.length === 0) return null;
  return (
    <div className="md:col-span-2">
      <h3 className="text-xs font-medium text-zinc-700 dark:text-zinc-300">Build stages (edit in YAML)</h3>
      <p className="text-xs text-zinc-500">Built first and never shipped: the image takes only what it copies from them, each copy one layer of an OCI image.</p>
      <ol aria-label="Build stages" className="mt-1 list-decimal pl-5 text-sm text-zinc-700 dark:text-zinc-300">
        {stages.map((s, i) => (
          <li key={i}>
            <span className="font-medium">{s.name}</span> on {baseText(s.base)}, {s.provisioners?.length ?? 0} provisioner{s.provisioners?.length === 1 ? '' : 's'}
          </li>
        ))}
      </ol>
      <h3 className="mt-2 text-xs font-medium text-zinc-700 dark:text-zinc-300">Copied into the image</h3>
      {copies.length === 0 ? (
        <p className="text-sm text-zinc-500">Nothing: no stage output reaches the image.</p>
      ) : (
        <ul aria-label="Copies from stages" className="mt-1 pl-5 font-mono text-xs text-zinc-700 dark:text-zinc-300">
          {copies.map((c, i) => (
            <li key={i}>
              {c.from}:{c.source} → {c.destination}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
