import { ExpressionError, FUNCTIONS, parseExpression, type Expr, type ExpressionFunction } from './parse';
import { errorMessage } from '../error-message';

/** What an expression may read: nothing else is reachable, so `constructor` and friends are not. */
export type ExpressionScope = Readonly<Record<string, unknown>>;

/** A path as a person writes it: stages['Bake'].outputs.image. */
export function describePath(root: string, steps: ReadonlyArray<string | number>): string {
  return root + steps.map((s) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s) ? `.${s}` : `['${s}']`)).join('');
}

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

/**
 * One step down a path. Only own data properties (no prototype walk, no getters on class
 * instances); a step that finds nothing is an error naming the path and what is there instead —
 * never a silent empty value that a deploy would then use.
 */
function step(value: unknown, key: string | number, root: string, before: ReadonlyArray<string | number>): unknown {
  const at = describePath(root, before);
  if (value === null || typeof value !== 'object') {
    throw new ExpressionError(`${at} is ${typeName(value)}, which has no '${key}'`, 0);
  }
  if (!Object.prototype.hasOwnProperty.call(value, key)) {
    const keys = Object.keys(value);
    const available = Array.isArray(value)
      ? `it has ${value.length} item${value.length === 1 ? '' : 's'}`
      : keys.length
        ? `available: ${keys.slice(0, 30).join(', ')}`
        : 'it is empty';
    throw new ExpressionError(`${describePath(root, [...before, key])} does not exist (${available})`, 0);
  }
  return (value as Record<string | number, unknown>)[key];
}

function walk(value: unknown, steps: ReadonlyArray<string | number>, root: string, prefix: ReadonlyArray<string | number> = []): unknown {
  let current = value;
  steps.forEach((s, i) => (current = step(current, s, root, [...prefix, ...steps.slice(0, i)])));
  return current;
}

function toNumber(name: string, v: unknown, parse: (s: string) => number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? parse(v.trim()) : Number.NaN;
  if (!Number.isFinite(n)) throw new ExpressionError(`${name}(): '${String(v)}' is not a number`, 0);
  return n;
}

const functions: Record<ExpressionFunction, (args: unknown[]) => unknown> = {
  toInt: ([v]) => toNumber('toInt', v, (s) => (/^[+-]?\d+$/.test(s) ? Number(s) : Number.NaN)),
  toFloat: ([v]) => toNumber('toFloat', v, (s) => (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : Number.NaN)),
  toBoolean: ([v]) => {
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    throw new ExpressionError(`toBoolean(): '${String(v)}' is not true or false`, 0);
  },
  alphanumerical: ([v]) => String(v ?? '').replace(/[^A-Za-z0-9]/g, ''),
  fromJson: ([v]) => {
    if (typeof v !== 'string') throw new ExpressionError(`fromJson(): expects text, got ${typeName(v)}`, 0);
    try {
      return JSON.parse(v) as unknown;
    } catch (err) {
      throw new ExpressionError(`fromJson(): not JSON (${errorMessage(err)})`, 0);
    }
  },
  toJson: ([v]) => JSON.stringify(v ?? null),
  // How to ask whether a list has anything in it, now that reading a missing item is an error.
  size: ([v]) => {
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (v !== null && typeof v === 'object') return Object.keys(v).length;
    throw new ExpressionError(`size(): expects a list, an object or text, got ${typeName(v)}`, 0);
  },
};

export function evaluate(expr: Expr, scope: ExpressionScope): unknown {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'path': {
      if (!Object.prototype.hasOwnProperty.call(scope, expr.root)) {
        throw new ExpressionError(`unknown name '${expr.root}' (known: ${Object.keys(scope).join(', ')})`, 0);
      }
      return walk(scope[expr.root], expr.steps, expr.root);
    }
    case 'call': {
      const result = functions[expr.name](expr.args.map((a) => evaluate(a, scope)));
      return walk(result, expr.steps, `${expr.name}(…)`);
    }
    case 'conditional':
      return evaluate(expr.test, scope) ? evaluate(expr.ifTrue, scope) : evaluate(expr.ifFalse, scope);
    case 'not':
      return !evaluate(expr.operand, scope);
    case 'binary': {
      const left = evaluate(expr.left, scope);
      if (expr.op === '&&') return Boolean(left) && Boolean(evaluate(expr.right, scope));
      if (expr.op === '||') return Boolean(left) || Boolean(evaluate(expr.right, scope));
      const right = evaluate(expr.right, scope);
      switch (expr.op) {
        case '==':
          return left === right;
        case '!=':
          return left !== right;
        default: {
          if (typeof left !== typeof right || (typeof left !== 'number' && typeof left !== 'string')) {
            throw new ExpressionError(`cannot compare ${typeName(left)} with ${typeName(right)} using '${expr.op}' (toInt() or toFloat() converts text)`, 0);
          }
          const [a, b] = [left as number | string, right as number | string];
          return expr.op === '<' ? a < b : expr.op === '<=' ? a <= b : expr.op === '>' ? a > b : a >= b;
        }
      }
    }
  }
}

const TEMPLATE = /\$\{([^}]*)\}/g;

/** The names an expression can start from; the engine's scope has exactly these. */
export const EXPRESSION_ROOTS = ['stages', 'parameters', 'trigger', 'execution'] as const;

/**
 * Shell commands are full of `${HOME}` and `${VAR:-x}`. A `${ … }` is Kiln's only when it starts
 * like one of Kiln's expressions — a known root, a literal, `(` or `!`; anything else is left
 * alone for the shell (or whatever reads the text) to expand.
 */
export function isKilnExpression(content: string): boolean {
  const text = content.trim();
  const word = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text)?.[0];
  if (word === undefined) return /^[0-9'"(!]/.test(text);
  return (EXPRESSION_ROOTS as readonly string[]).includes(word) || ['true', 'false', 'null'].includes(word) || (FUNCTIONS as readonly string[]).includes(word);
}

/** The `${ … }` parts of a string, each parsed, with its error when it does not parse. */
export function findExpressions(text: string): Array<{ source: string; error?: string }> {
  return [...text.matchAll(TEMPLATE)]
    .filter((m) => isKilnExpression(m[1]!))
    .map((m) => {
      const source = m[1]!.trim();
      try {
        parseExpression(source);
        return { source };
      } catch (err) {
        return { source, error: errorMessage(err) };
      }
    });
}

/**
 * Replaces `${ … }` in a string. A string that is exactly one expression keeps the value's type
 * (a number stays a number), so configs can take outputs that are not text.
 */
export function interpolate(text: string, scope: ExpressionScope): unknown {
  const whole = /^\$\{([^}]*)\}$/.exec(text.trim());
  if (whole && isKilnExpression(whole[1]!)) return evaluateSource(whole[1]!.trim(), scope);
  return text.replace(TEMPLATE, (match, src: string) => {
    if (!isKilnExpression(src)) return match;
    const value = evaluateSource(src.trim(), scope);
    return value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

/** Evaluates one expression; a failure names the expression as written, so a stage's error says which one. */
function evaluateSource(source: string, scope: ExpressionScope): unknown {
  try {
    return evaluate(parseExpression(source), scope);
  } catch (err) {
    if (err instanceof ExpressionError) throw new ExpressionError(`\${ ${source} }: ${err.message}`, err.position);
    throw err;
  }
}

/** Interpolates every string inside a JSON-like value (stage configs). */
export function interpolateDeep(value: unknown, scope: ExpressionScope): unknown {
  if (typeof value === 'string') return interpolate(value, scope);
  if (Array.isArray(value)) return value.map((v) => interpolateDeep(v, scope));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, scope)]));
  }
  return value;
}
