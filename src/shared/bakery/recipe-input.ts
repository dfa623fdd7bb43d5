import { parseDocument } from 'yaml';
import { RecipeDraft } from '../domain/recipe';
import { stageProblems } from './recipe-stages';

export interface RecipeProblem {
  /** Dotted path into the recipe, e.g. `provisioners.0.destination`; `yaml` for a syntax error. */
  path: string;
  message: string;
}

export type RecipeParse = { ok: true; recipe: RecipeDraft } | { ok: false; problems: RecipeProblem[] };

/** Checks a recipe given as an object or as YAML (a string); every problem at once, each with its field. */
export function parseRecipeInput(input: unknown): RecipeParse {
  let value = input;
  if (typeof input === 'string') {
    const doc = parseDocument(input);
    if (doc.errors.length > 0) {
      return { ok: false, problems: doc.errors.map((e) => ({ path: 'yaml', message: `YAML line ${e.linePos?.[0]?.line ?? 0}: ${e.message.split('\n')[0]}` })) };
    }
    value = doc.toJS();
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problems: [{ path: 'recipe', message: 'a recipe must be an object (or YAML mapping)' }] };
  }
  // A stored recipe sent back as-is carries its identity; those fields are the server's, not part of the draft.
  const { id: _i, revision: _r, updatedAt: _u, updatedBy: _b, ...draft } = value as Record<string, unknown>;
  const parsed = RecipeDraft.safeParse(draft);
  if (parsed.success) {
    const problems = stageProblems(parsed.data);
    return problems.length === 0 ? { ok: true, recipe: parsed.data } : { ok: false, problems };
  }
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || 'recipe', message: i.message })),
  };
}
