import { ExpressionError, parseExpression, type Expr } from './parse';
import { errorMessage } from '../error-message';

/** What an expression may read: nothing else is reachable, so `constructor` and friends are not. */
export type ExpressionScope = Readonly<Record<string, unknown>>;

function own(value: unknown, key: string | number): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  // Only own data properties: no prototype walk, no getters on class instances.
  return Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string | number, unknown>)[key] : undefined;
}

export function evaluate(expr: Expr, scope: ExpressionScope): unknown {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'path': {
      let value = own(scope, expr.root);
      if (value === undefined && !Object.prototype.hasOwnProperty.call(scope, expr.root)) {
        throw new ExpressionError(`unknown name '${expr.root}' (known: ${Object.keys(scope).join(', ')})`, 0);
      }
      for (const step of expr.steps) value = own(value, step);
      return value;
    }
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
          if (typeof left !== typeof right || (typeof left !== 'number' && typeof left !== 'string')) return false;
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
  return (EXPRESSION_ROOTS as readonly string[]).includes(word) || ['true', 'false', 'null'].includes(word);
}

/** The `${ … }` parts of a string, each parsed, with its error when it does not parse. */
export function findExpressions(text: string): Array<{ source: string; error?: string }> {
  return [...text.matchAll(TEMPLATE)].filter((m) => isKilnExpression(m[1]!)).map((m) => {
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
  if (whole && isKilnExpression(whole[1]!)) return evaluate(parseExpression(whole[1]!.trim()), scope);
  return text.replace(TEMPLATE, (match, src: string) => {
    if (!isKilnExpression(src)) return match;
    const value = evaluate(parseExpression(src.trim()), scope);
    return value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
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
