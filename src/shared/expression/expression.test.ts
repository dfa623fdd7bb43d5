import { describe, expect, it } from 'vitest';
import { ExpressionError, parseExpression } from './parse';
import { evaluate, findExpressions, interpolate, interpolateDeep } from './evaluate';

const scope = {
  stages: { Bake: { outputs: { imageId: 'img-42', size: 3 } }, 'Smoke test': { status: 'SUCCEEDED' } },
  parameters: { env: 'prod', replicas: 3 },
  trigger: { user: 'ana' },
};
const run = (src: string) => evaluate(parseExpression(src), scope);

describe('expressions', () => {
  it('reads stage outputs, parameters and the trigger', () => {
    expect(run("stages['Bake'].outputs.imageId")).toBe('img-42');
    expect(run('stages["Smoke test"].status')).toBe('SUCCEEDED');
    expect(run('parameters.replicas')).toBe(3);
    expect(run('trigger.user')).toBe('ana');
    expect(run('stages.Missing.outputs.x')).toBeUndefined();
  });

  it('compares and combines', () => {
    expect(run("parameters.env == 'prod' && parameters.replicas >= 3")).toBe(true);
    expect(run("parameters.env != 'prod' || !(parameters.replicas < 2)")).toBe(true);
    expect(run("stages['Bake'].outputs.size > 'x'")).toBe(false);
    expect(run('true && null == null')).toBe(true);
  });

  it('cannot reach prototypes or call anything', () => {
    expect(run('parameters.constructor')).toBeUndefined();
    expect(run("trigger['__proto__']")).toBeUndefined();
    expect(() => parseExpression('process.exit(1)')).toThrow(ExpressionError);
    expect(() => run('globalThis.process')).toThrow(/unknown name 'globalThis'/);
  });

  it('reports syntax errors with a position', () => {
    expect(() => parseExpression("stages['Bake'")).toThrow("expected ']'");
    expect(() => parseExpression("'open")).toThrow('unterminated string');
    expect(() => parseExpression('a +')).toThrow("unexpected character '+'");
    expect(() => parseExpression('a b')).toThrow(expect.objectContaining({ position: 2 }));
  });

  it('interpolates templates, keeping the type of a whole-string expression', () => {
    expect(interpolate("image ${ stages['Bake'].outputs.imageId } to ${parameters.env}", scope)).toBe('image img-42 to prod');
    expect(interpolate('${ parameters.replicas }', scope)).toBe(3);
    expect(interpolateDeep({ a: ['${trigger.user}', 1], b: { c: 'x${parameters.env}' } }, scope)).toEqual({
      a: ['ana', 1],
      b: { c: 'xprod' },
    });
  });

  it('finds each template with its parse error', () => {
    expect(findExpressions("${ stages.b } and ${ stages[ }")).toEqual([
      { source: 'stages.b' },
      { source: 'stages[', error: "expected a quoted name or a number inside '[ ]'" },
    ]);
  });
});

describe('templates in shell commands', () => {
  it("leaves the shell's own ${VAR} forms alone and evaluates Kiln's", () => {
    const command = 'echo ${HOME} ${VAR:-x} ${#ARR} ${ parameters.env } ${trigger.user}';
    expect(interpolate(command, scope)).toBe('echo ${HOME} ${VAR:-x} ${#ARR} prod ana');
    expect(findExpressions(command).map((f) => f.source)).toEqual(['parameters.env', 'trigger.user']);
    expect(interpolate('${ 1 == 1 }', scope)).toBe(true);
    expect(() => interpolate('${ stages[ }', scope)).toThrow(/inside '\[ \]'/);
  });
});
