import type { z } from 'zod';
import { ExpressionError, parseExpression } from '../expression/parse';
import { evaluate, isKilnExpression, type ExpressionScope } from '../expression/evaluate';
import { errorMessage } from '../error-message';

/**
 * Expressions in fields that are not free text: a capacity, an account, a strategy may be a whole
 * `${ … }` wherever the field's own schema would refuse the text as it is. The expression is kept as
 * written in the pipeline and evaluated when the stage runs; the result must then pass that same
 * schema, so a deploy never sees a capacity of "lots". Fields that take templates themselves (an
 * image, a command) accept the text already and are left to their handlers.
 */

type Path = ReadonlyArray<PropertyKey>;
type Issue = z.core.$ZodIssue;

/** The expression a value is, when it is exactly one `${ … }` of Kiln's. */
export function wholeExpression(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\$\{([^}]*)\}$/.exec(value.trim());
  return m && isKilnExpression(m[1]!) ? m[1]!.trim() : undefined;
}

function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** A copy of `root` with `value` at `path` (only the objects along the path are copied). */
function withValueAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path;
  const copy = (Array.isArray(root) ? [...(root as unknown[])] : { ...(root as Record<PropertyKey, unknown>) }) as Record<PropertyKey, unknown>;
  copy[key!] = withValueAt(copy[key!], rest, value);
  return copy;
}

const keyOf = (path: Path) => path.map(String).join('.');
const within = (issue: Issue, path: Path) => path.every((p, i) => issue.path[i] === p);

/** Parameters and outputs are text: "3" is taken as the number 3 where the field wants a number. */
function candidates(value: unknown): unknown[] {
  if (typeof value !== 'string') return [value];
  const text = value.trim();
  if (/^[+-]?\d+(\.\d+)?$/.test(text)) return [value, Number(text)];
  if (text === 'true' || text === 'false') return [value, text === 'true'];
  return [value];
}

/** Puts the first form of `value` the schema takes at `path` (or the value as it is, when none does). */
function place(schema: z.ZodType, config: unknown, path: Path, value: unknown): unknown {
  const tries = candidates(value).map((form) => {
    const next = withValueAt(config, path, form);
    const result = schema.safeParse(next);
    return { next, here: result.success ? [] : result.error.issues.filter((i) => within(i, path)) };
  });
  // A form the field takes; else one of the right type (9 is "above max", which says more than "not a number").
  const fits = tries.find((t) => t.here.length === 0) ?? tries.find((t) => !t.here.some((i) => i.code === 'invalid_type'));
  return (fits ?? tries[0]!).next;
}

export interface ExpressionField {
  path: PropertyKey[];
  source: string;
}

/**
 * Only scalar fields take an expression: a number, an enum, a name with a pattern. Lists, objects
 * and yes/no switches (who may judge, separation of duties, roll back on failure) stay as written,
 * so what guards a run can be read before it runs.
 */
function takesExpression(issue: Issue): boolean {
  if (issue.code === 'invalid_type') return issue.expected === 'number' || issue.expected === 'int';
  if (issue.code === 'too_big') return issue.origin === 'string';
  return issue.code === 'invalid_value' || issue.code === 'invalid_format';
}

/** The fields holding an expression the schema does not take as it is, and the other issues. */
export function expressionFields(schema: z.ZodType, config: unknown): { fields: ExpressionField[]; issues: Issue[] } {
  const result = schema.safeParse(config);
  if (result.success) return { fields: [], issues: [] };
  const fields: ExpressionField[] = [];
  const issues: Issue[] = [];
  for (const issue of result.error.issues) {
    const source = takesExpression(issue) ? wholeExpression(valueAt(config, issue.path)) : undefined;
    if (source === undefined) issues.push(issue);
    else if (!fields.some((f) => keyOf(f.path) === keyOf(issue.path))) fields.push({ path: [...issue.path], source });
  }
  return { fields, issues };
}

const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : (JSON.stringify(v) ?? String(v)));

export type ResolvedConfig<T> = { ok: true; data: T } | { ok: false; field: string; error: string };

/**
 * Evaluates the expression fields of a stage config and parses the result with the stage's
 * schema. Each field is evaluated once: a value that looks like `${ … }` (a parameter's text) is
 * never evaluated again, so nobody smuggles an expression in through a parameter.
 */
export function resolveConfig<T>(schema: z.ZodType<T>, config: unknown, scope: ExpressionScope, describe: (issue: Issue) => string = (i) => i.message): ResolvedConfig<T> {
  let current = config;
  const done = new Map<string, { path: Path; source: string; value: unknown }>();
  for (;;) {
    const result = schema.safeParse(current);
    if (result.success) return { ok: true, data: result.data };
    const pending = expressionFields(schema, current).fields.filter((f) => !done.has(keyOf(f.path)));
    if (pending.length === 0) {
      const issue = result.error.issues[0]!;
      const at = [...done.entries()].find(([, d]) => within(issue, d.path));
      const evaluated = [...done.entries()].map(([k, d]) => `${k} = \${ ${d.source} } gave ${show(d.value)}`);
      if (at) {
        const [field, d] = at;
        return { ok: false, field, error: `${field}: \${ ${d.source} } gave ${show(d.value)}, which ${field} does not take: ${describe(issue)}` };
      }
      const field = keyOf(issue.path);
      return { ok: false, field, error: `${field ? `${field}: ` : ''}${describe(issue)}${evaluated.length ? ` (after ${evaluated.join('; ')})` : ''}` };
    }
    for (const { path, source } of pending) {
      const field = keyOf(path);
      let value: unknown;
      try {
        value = evaluate(parseExpression(source), scope);
      } catch (err) {
        return { ok: false, field, error: `${field}: \${ ${source} }: ${errorMessage(err)}` };
      }
      current = place(schema, current, path, value);
      done.set(field, { path, source, value: valueAt(current, path) });
    }
  }
}

/** A parameter's possible values known when the pipeline is saved: its options, else its default. */
export interface StaticParameter {
  name: string;
  default?: string | undefined;
  options?: readonly string[] | undefined;
}

export interface StaticProblem {
  path: PropertyKey[];
  message: string;
}

const PARAMETER_REF = /parameters\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*['"]([^'"]+)['"]\s*\])/g;
const MAX_COMBINATIONS = 64;

/** Every combination of the known values of the parameters an expression reads; undefined when one is not known at save time. */
function valuations(source: string, parameters: readonly StaticParameter[]): Array<Record<string, string>> | undefined {
  const names = [...new Set([...source.matchAll(PARAMETER_REF)].map((m) => m[1] ?? m[2]!))];
  let out: Array<Record<string, string>> = [{}];
  for (const name of names) {
    const p = parameters.find((q) => q.name === name);
    if (!p) return [{}]; // evaluating then names the parameter that does not exist
    const values = p.options?.length ? p.options : p.default !== undefined ? [p.default] : undefined;
    if (!values) return undefined;
    out = out.flatMap((v) => values.map((value) => ({ ...v, [name]: value }))).slice(0, MAX_COMBINATIONS);
  }
  return out;
}

/**
 * Save-time check of expression fields: each must parse, and where it reads only parameters whose
 * values are known (options or a default), every value it can give must pass the field's schema.
 * What reads stages or the trigger is known only when the stage runs, and is checked then.
 */
export function checkExpressionFields(
  schema: z.ZodType,
  config: unknown,
  parameters: readonly StaticParameter[],
  describe: (issue: Issue) => string = (i) => i.message,
): { issues: Issue[]; problems: StaticProblem[] } {
  const { fields, issues } = expressionFields(schema, config);
  const problems: StaticProblem[] = [];
  const before = new Set(issues.map((i) => `${keyOf(i.path)}|${i.message}`));
  const others = (f: ExpressionField) => fields.filter((g) => g !== f).map((g) => g.path);
  for (const f of fields) {
    const field = keyOf(f.path);
    let expr;
    try {
      expr = parseExpression(f.source);
    } catch (err) {
      problems.push({ path: f.path, message: `\${ ${f.source} } does not parse: ${errorMessage(err)}` });
      continue;
    }
    for (const values of valuations(f.source, parameters) ?? []) {
      const when = Object.entries(values)
        .map(([k, v]) => `parameter ${k} is '${v}'`)
        .join(' and ');
      let value: unknown;
      try {
        value = evaluate(expr, { parameters: values });
      } catch (err) {
        // A root other than parameters (stages, trigger, …) is only known when the stage runs.
        if (err instanceof ExpressionError && err.message.startsWith('unknown name')) break;
        problems.push({ path: f.path, message: `\${ ${f.source} }: ${errorMessage(err)}` });
        break;
      }
      const placed = place(schema, config, f.path, value);
      value = valueAt(placed, f.path);
      const result = schema.safeParse(placed);
      const bad = result.success ? undefined : result.error.issues.find((i) => !before.has(`${keyOf(i.path)}|${i.message}`) && !others(f).some((p) => within(i, p)));
      if (bad) {
        problems.push({ path: f.path, message: `\${ ${f.source} } gives ${show(value)}${when ? ` when ${when}` : ''}, which ${field} does not take: ${describe(bad)}` });
        break;
      }
    }
  }
  return { issues, problems };
}
