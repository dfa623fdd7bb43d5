/**
 * Pipeline expressions: `${ stages['Bake'].outputs.imageId }`, `${ parameters.env == 'prod' }`.
 * A deliberately small language — property paths, literals, comparisons, `!`, `&&`, `||`, `? :`
 * and a few conversion functions — so a pipeline author can wire outputs to inputs but can never
 * run code on the Kiln server.
 */
export type Expr =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'path'; root: string; steps: Array<string | number> }
  | { kind: 'not'; operand: Expr }
  | { kind: 'binary'; op: '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||'; left: Expr; right: Expr }
  | { kind: 'conditional'; test: Expr; ifTrue: Expr; ifFalse: Expr }
  /** One of a fixed set of pure helpers (FUNCTIONS); a path may follow its result. */
  | { kind: 'call'; name: ExpressionFunction; args: Expr[]; steps: Array<string | number> };

/** The helpers an expression may call: conversions only, nothing that reaches outside the value. */
export const FUNCTIONS = ['toInt', 'toFloat', 'toBoolean', 'alphanumerical', 'fromJson', 'toJson', 'size'] as const;
export type ExpressionFunction = (typeof FUNCTIONS)[number];
const isFunction = (name: string): name is ExpressionFunction => (FUNCTIONS as readonly string[]).includes(name);

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

type Token =
  | { t: 'ident'; v: string; at: number }
  | { t: 'string'; v: string; at: number }
  | { t: 'number'; v: number; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'end'; at: number };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '.', '[', ']', '(', ')', '?', ':', ','];

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i))![0];
      tokens.push({ t: 'ident', v: m, at: i });
      i += m.length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i))![0];
      tokens.push({ t: 'number', v: Number(m), at: i });
      i += m.length;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let value = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j += 1;
        value += src[j];
        j += 1;
      }
      if (j >= src.length) throw new ExpressionError('unterminated string', i);
      tokens.push({ t: 'string', v: value, at: i });
      i = j + 1;
    } else {
      const op = OPS.find((o) => src.startsWith(o, i));
      if (!op) throw new ExpressionError(`unexpected character '${c}'`, i);
      tokens.push({ t: 'op', v: op, at: i });
      i += op.length;
    }
  }
  tokens.push({ t: 'end', at: src.length });
  return tokens;
}

/** Parses the inside of one `${ … }`. */
export function parseExpression(src: string): Expr {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[pos++]!;
  const isOp = (v: string) => {
    const tok = peek();
    return tok.t === 'op' && tok.v === v;
  };
  const expectOp = (v: string) => {
    const tok = next();
    if (tok.t !== 'op' || tok.v !== v) throw new ExpressionError(`expected '${v}'`, tok.at);
  };

  const binary = (ops: string[], operand: () => Expr) => (): Expr => {
    let left = operand();
    for (let tok = peek(); tok.t === 'op' && ops.includes(tok.v); tok = peek()) {
      next();
      left = { kind: 'binary', op: tok.v as Extract<Expr, { kind: 'binary' }>['op'], left, right: operand() };
    }
    return left;
  };

  const primary = (): Expr => {
    const tok = next();
    if (tok.t === 'string' || tok.t === 'number') return { kind: 'literal', value: tok.v };
    if (tok.t === 'op' && tok.v === '(') {
      const inner = conditional();
      expectOp(')');
      return inner;
    }
    if (tok.t === 'op' && tok.v === '!') return { kind: 'not', operand: primary() };
    if (tok.t !== 'ident') throw new ExpressionError('expected a value', tok.at);
    if (tok.v === 'true' || tok.v === 'false') return { kind: 'literal', value: tok.v === 'true' };
    if (tok.v === 'null') return { kind: 'literal', value: null };
    const steps: Array<string | number> = [];
    let call: Expr[] | undefined;
    if (isOp('(')) {
      if (!isFunction(tok.v)) throw new ExpressionError(`unknown function '${tok.v}' (known: ${FUNCTIONS.join(', ')})`, tok.at);
      next();
      call = [];
      if (!isOp(')')) {
        call.push(conditional());
        while (isOp(',')) {
          next();
          call.push(conditional());
        }
      }
      expectOp(')');
    }
    for (;;) {
      if (isOp('.')) {
        next();
        const name = next();
        if (name.t !== 'ident') throw new ExpressionError("expected a property name after '.'", name.at);
        steps.push(name.v);
      } else if (isOp('[')) {
        next();
        const key = next();
        if (key.t !== 'string' && key.t !== 'number') throw new ExpressionError("expected a quoted name or a number inside '[ ]'", key.at);
        steps.push(key.v);
        expectOp(']');
      } else {
        return call ? { kind: 'call', name: tok.v as ExpressionFunction, args: call, steps } : { kind: 'path', root: tok.v, steps };
      }
    }
  };

  const comparison = binary(['==', '!=', '<', '<=', '>', '>='], primary);
  const and = binary(['&&'], comparison);
  const or = binary(['||'], and);
  // `a ? b : c`, lowest precedence and right-associative, as in SpEL and JavaScript.
  function conditional(): Expr {
    const test = or();
    if (!isOp('?')) return test;
    next();
    const ifTrue = conditional();
    expectOp(':');
    return { kind: 'conditional', test, ifTrue, ifFalse: conditional() };
  }

  const expr = conditional();
  const end = peek();
  if (end.t !== 'end') throw new ExpressionError('unexpected text after the expression', end.at);
  return expr;
}
