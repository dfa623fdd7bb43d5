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
  });

  it('fails loudly on a path that does not exist, naming the path and what is there', () => {
    expect(() => run('stages.Missing.outputs.x')).toThrow('stages.Missing does not exist (available: Bake, Smoke test)');
    expect(() => run("stages['Bake'].outputs.imageID")).toThrow('stages.Bake.outputs.imageID does not exist (available: imageId, size)');
    expect(() => run("stages['Bake'].outputs.imageId.tag")).toThrow("stages.Bake.outputs.imageId is a string, which has no 'tag'");
    expect(() => interpolate("deploy ${ stages['Smoke test'].outputs.image }", scope)).toThrow(
      "${ stages['Smoke test'].outputs.image }: stages['Smoke test'].outputs does not exist (available: status)",
    );
  });

  it('compares and combines', () => {
    expect(run("parameters.env == 'prod' && parameters.replicas >= 3")).toBe(true);
    expect(run("parameters.env != 'prod' || !(parameters.replicas < 2)")).toBe(true);
    expect(() => run("stages['Bake'].outputs.size > 'x'")).toThrow("cannot compare a number with a string using '>'");
    expect(run('true && null == null')).toBe(true);
  });

  it('cannot reach prototypes or call anything', () => {
    expect(() => run('parameters.constructor')).toThrow('parameters.constructor does not exist');
    expect(() => run("trigger['__proto__']")).toThrow('trigger.__proto__ does not exist');
    expect(() => parseExpression('process.exit(1)')).toThrow(ExpressionError);
    expect(() => parseExpression("require('fs')")).toThrow("unknown function 'require'");
    expect(() => run('globalThis.process')).toThrow(/unknown name 'globalThis'/);
  });

  it('has ternaries and conversion functions (the SpEL helpers pipelines use)', () => {
    expect(run("parameters.env == 'prod' ? 'large' : 'small'")).toBe('large');
    expect(run("parameters.env == 'dev' ? 1 : parameters.replicas > 2 ? 2 : 3")).toBe(2);
    expect(run("toInt('42') == 42")).toBe(true);
  });

  it('converts, and a value that does not convert is an error saying so', () => {
    const s2 = { ...scope, trigger: { payload: { body: '{"build":{"number":17}}', n: '12', ok: 'true', tag: 'release/1.2-rc' } } };
    const ev = (src: string) => evaluate(parseExpression(src), s2);
    expect(ev('toInt(trigger.payload.n) > 10')).toBe(true);
    expect(ev("toFloat('1.5') < 2")).toBe(true);
    expect(ev('toBoolean(trigger.payload.ok)')).toBe(true);
    expect(ev('alphanumerical(trigger.payload.tag)')).toBe('release12rc');
    expect(ev('fromJson(trigger.payload.body).build.number')).toBe(17);
    expect(ev('toJson(trigger.payload.n)')).toBe('"12"');
    expect(ev('size(trigger.payload) == 4 && size(fromJson(trigger.payload.body)) == 1')).toBe(true);
    expect(() => ev("toInt('12abc')")).toThrow("toInt(): '12abc' is not a number");
    expect(() => ev("fromJson('{nope')")).toThrow(/fromJson\(\): not JSON/);
    expect(() => ev('fromJson(trigger.payload.body).build.id')).toThrow('fromJson(…).build.id does not exist (available: number)');
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
    expect(findExpressions('${ stages.b } and ${ stages[ }')).toEqual([{ source: 'stages.b' }, { source: 'stages[', error: "expected a quoted name or a number inside '[ ]'" }]);
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
