import type { z } from 'zod';

/** How a config field is edited, read from its zod schema (so a new stage type gets a form for free). */
export type FieldKind =
  | { kind: 'text' }
  | { kind: 'number' }
  /** A number or a `${ … }` expression, typed in one box. */
  | { kind: 'number-or-text' }
  | { kind: 'boolean' }
  | { kind: 'enum'; options: readonly string[] }
  | { kind: 'string-list' }
  | { kind: 'number-list' }
  | { kind: 'string-map' }
  | { kind: 'json' };

export interface FieldSpec {
  name: string;
  optional: boolean;
  kind: FieldKind;
  /** The schema's default: what the engine uses when the stored config leaves the field out. */
  default?: unknown;
}

type Def = { type: string; defaultValue?: unknown; innerType?: z.ZodType; in?: z.ZodType; options?: z.ZodType[]; element?: z.ZodType; valueType?: z.ZodType };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Strips optional/default/pipe wrappers; says whether the field may be left out. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; optional: boolean; fallback?: unknown } {
  let inner = schema;
  let optional = false;
  let fallback: unknown;
  for (;;) {
    const def = defOf(inner);
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault' || def.type === 'nullable') {
      optional ||= def.type !== 'nullable';
      if (def.type === 'default' && fallback === undefined) fallback = def.defaultValue;
      inner = def.innerType!;
    } else if (def.type === 'pipe') inner = def.in!;
    else return { inner, optional, ...(fallback === undefined ? {} : { fallback }) };
  }
}

function kindOf(schema: z.ZodType): FieldKind {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return { kind: 'text' };
    case 'number':
      return { kind: 'number' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'enum':
      return { kind: 'enum', options: (schema as unknown as { options: string[] }).options };
    case 'union': {
      const kinds = (def.options ?? []).map((o) => kindOf(unwrap(o).inner).kind);
      if (kinds.every((k) => k === 'number' || k === 'text') && kinds.includes('number')) return { kind: 'number-or-text' };
      return { kind: 'json' };
    }
    case 'array': {
      const el = kindOf(unwrap(def.element!).inner).kind;
      return el === 'text' ? { kind: 'string-list' } : el === 'number' ? { kind: 'number-list' } : { kind: 'json' };
    }
    case 'record':
      return kindOf(unwrap(def.valueType!).inner).kind === 'text' ? { kind: 'string-map' } : { kind: 'json' };
    default:
      return { kind: 'json' };
  }
}

/** The fields of an object schema in declaration order; anything else is one JSON field. */
export function fieldsOf(schema: z.ZodType): FieldSpec[] | undefined {
  const { inner } = unwrap(schema);
  if (defOf(inner).type !== 'object') return undefined;
  const shape = (inner as unknown as { shape: Record<string, z.ZodType> }).shape;
  return Object.entries(shape).map(([name, s]) => {
    const { inner: field, optional, fallback } = unwrap(s);
    return { name, optional, kind: kindOf(field), ...(fallback === undefined ? {} : { default: fallback }) };
  });
}

/** Text that starts like an expression: number and enum fields take a whole `${ … }` instead of a value. */
export const isExpressionText = (value: unknown): value is string => typeof value === 'string' && value.trim().startsWith('${');

/** A field's value as the text shown in its box. */
export function toText(kind: FieldKind, value: unknown): string {
  if (value === undefined || value === null) return '';
  switch (kind.kind) {
    case 'string-list':
      return Array.isArray(value) ? value.join('\n') : JSON.stringify(value);
    case 'number-list':
      return Array.isArray(value) ? value.join(', ') : JSON.stringify(value);
    case 'string-map':
      return typeof value === 'object'
        ? Object.entries(value as Record<string, unknown>)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join('\n')
        : '';
    case 'json':
      return JSON.stringify(value, null, 2);
    default:
      return String(value);
  }
}

/** Text typed in a box back to a value; `{ error }` when it cannot be read (JSON). Empty optional → undefined. */
export function fromText(kind: FieldKind, text: string, optional: boolean): { value: unknown } | { error: string } {
  if (text.trim() === '' && optional && kind.kind !== 'text') return { value: undefined };
  switch (kind.kind) {
    case 'number':
      // A `${ … }` stays text: the engine evaluates it when the stage runs and checks the number then.
      if (text.trim().startsWith('${')) return { value: text.trim() };
      return { value: text.trim() === '' ? undefined : Number(text) };
    case 'number-or-text':
      return { value: /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text };
    case 'string-list':
      return {
        value: text
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      };
    case 'number-list':
      return {
        value: text
          .split(/[,\s]+/)
          .filter(Boolean)
          .map(Number),
      };
    case 'string-map': {
      const entries = text
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => {
          const at = l.indexOf('=');
          return at < 0 ? [l.trim(), ''] : [l.slice(0, at).trim(), l.slice(at + 1)];
        });
      return { value: Object.fromEntries(entries) };
    }
    case 'json':
      try {
        return { value: JSON.parse(text) as unknown };
      } catch (err) {
        return { error: `not valid JSON: ${(err as Error).message}` };
      }
    default:
      return { value: text };
  }
}
