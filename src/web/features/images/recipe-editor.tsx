import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { parse as parseYaml, stringify } from 'yaml';
import { saveRecipe } from '../../../shared/api/recipes';
import { parseRecipeInput } from '../../../shared/bakery/recipe-input';
import type { Recipe, RecipeDraftInput } from '../../../shared/domain/recipe';
import { Button } from '../../components/button';
import { apiFetch, ApiRequestError } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';
import { RecipeForm } from './recipe-form';

type Draft = RecipeDraftInput & Record<string, unknown>;

function draftOf(recipe: Recipe): Draft {
  const { id: _i, revision: _r, updatedAt: _u, updatedBy: _b, ...draft } = recipe;
  return draft as Draft;
}

/** Edit a recipe as a form or as YAML; saving sends the revision it started from, so a concurrent save is a conflict, not a loss. */
export function RecipeEditor({ recipe }: { recipe: Recipe }) {
  const client = useQueryClient();
  const [view, setView] = useState<'form' | 'yaml'>('form');
  const [draft, setDraft] = useState<Draft>(() => draftOf(recipe));
  const [yaml, setYaml] = useState(() => stringify(draftOf(recipe)));
  const [problem, setProblem] = useState<string | undefined>();
  const save = useMutation({
    mutationFn: (body: unknown) => apiFetch(saveRecipe, { params: { recipeId: recipe.id }, body: { baseRevision: recipe.revision, recipe: body } }),
    onSuccess: (saved) => {
      client.setQueryData(queryKeys.images.recipe(recipe.id), saved);
      void client.invalidateQueries({ queryKey: queryKeys.images.all });
    },
  });
  const switchTo = (next: 'form' | 'yaml') => {
    if (next === view) return;
    if (next === 'yaml') {
      setYaml(stringify(draft));
      setProblem(undefined);
    } else {
      try {
        setDraft(parseYaml(yaml) as Draft);
        setProblem(undefined);
      } catch (err) {
        setProblem(`YAML: ${(err as Error).message.split('\n')[0]}`);
        return;
      }
    }
    setView(next);
  };
  const onSave = () => {
    const input = view === 'yaml' ? yaml : draft;
    const checked = parseRecipeInput(input);
    if (!checked.ok) {
      setProblem(checked.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
      return;
    }
    setProblem(undefined);
    save.mutate(checked.recipe);
  };
  const error =
    save.error instanceof ApiRequestError
      ? save.error.status === 409
        ? `${save.error.message}. Reload to see their changes.`
        : `${save.error.field ? `${save.error.field}: ` : ''}${save.error.message}`
      : undefined;
  return (
    <div className="flex flex-col gap-4">
      <div role="tablist" aria-label="Recipe view" className="flex gap-1">
        {(['form', 'yaml'] as const).map((v) => (
          <button
            key={v}
            role="tab"
            type="button"
            aria-selected={view === v}
            onClick={() => switchTo(v)}
            className={`rounded-md px-3 py-1 text-sm font-medium ${view === v ? 'bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900' : 'text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800'}`}
          >
            {v === 'form' ? 'Form' : 'YAML'}
          </button>
        ))}
      </div>
      {view === 'form' ? (
        <RecipeForm draft={draft} onChange={setDraft} />
      ) : (
        <textarea
          aria-label="Recipe YAML"
          spellCheck={false}
          rows={24}
          value={yaml}
          onChange={(e) => setYaml(e.target.value)}
          className="w-full max-w-4xl rounded-md border border-zinc-300 bg-white p-2 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
        />
      )}
      {(problem ?? error) && (
        <p role="alert" className="max-w-4xl text-sm text-red-700 dark:text-red-400">
          {problem ?? error}
        </p>
      )}
      {save.isSuccess && !save.isPending && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          Saved as revision {save.data.revision}.
        </p>
      )}
      <div>
        <Button variant="primary" onClick={onSave} disabled={save.isPending}>
          {save.isPending ? 'Saving…' : `Save revision ${recipe.revision + 1}`}
        </Button>
      </div>
    </div>
  );
}
