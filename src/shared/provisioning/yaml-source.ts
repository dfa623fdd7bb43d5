import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic, PathPart } from './diagnostic';
import { pathString } from './diagnostic';

/**
 * A parsed YAML source that can answer "where is $.storage.files.0.mode?" the way Butane's
 * vcontext does: a key's own position for key-level findings (unused keys), the value's position
 * otherwise, and the deepest existing ancestor when the path does not exist (a missing field).
 */
export interface YamlSource {
  readonly doc: Document.Parsed;
  readonly root: Node | null;
  position(parts: readonly PathPart[], at?: 'key' | 'value'): { line: number; column: number };
  diagnostic(parts: readonly PathPart[], message: string, at?: 'key' | 'value'): Diagnostic;
}

export type ParsedYaml = { ok: true; source: YamlSource } | { ok: false; errors: Diagnostic[] };

export function parseYamlSource(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // uniqueKeys: yaml.v3 (Butane's parser) also rejects a key defined twice in one mapping.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const at = lineCounter.linePos(e.pos[0]);
        return { path: '$', line: at.line, column: at.col, message: `yaml: ${e.message.split('\n')[0] ?? e.message}` };
      }),
    };
  }
  const root = resolve(doc, doc.contents);
  const startOf = (node: Node | null | undefined): { line: number; column: number } => {
    const offset = node?.range?.[0];
    if (offset === undefined) return { line: 1, column: 1 };
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const position = (parts: readonly PathPart[], at: 'key' | 'value' = 'value') => {
    let node = root;
    for (const [i, part] of parts.entries()) {
      const last = i === parts.length - 1;
      if (isMap(node) && typeof part === 'string') {
        const pair = node.items.find((p) => keyText(p.key) === part);
        if (!pair) break;
        if (last && at === 'key') return startOf(pair.key as Node);
        // `key:` with nothing after it has no value node; Butane then points at the key.
        const value = resolve(doc, pair.value);
        if (!value) return startOf(pair.key as Node);
        node = value;
      } else if (isSeq(node) && typeof part === 'number') {
        const item = resolve(doc, node.items[part]);
        if (!item) break;
        node = item;
      } else {
        break;
      }
    }
    return startOf(node);
  };
  return {
    ok: true,
    source: {
      doc,
      root,
      position,
      diagnostic: (parts, message, at) => ({ path: pathString(parts), ...position(parts, at), message }),
    },
  };
}

/** Follows aliases (`*anchor`) to the node they name, as yaml.v3 does when decoding. */
export function resolve(doc: Document.Parsed, node: unknown): Node | null {
  if (isAlias(node)) return (node.resolve(doc) as Node | undefined) ?? null;
  return node && typeof node === 'object' && 'range' in node ? (node as Node) : null;
}

/** Mapping keys are compared by their text, as yaml.v3 decodes them into Go struct tags. */
export function keyText(key: unknown): string {
  if (isScalar(key)) return key.source ?? String(key.value);
  return String(key);
}

export type ScalarTag = '!!null' | '!!bool' | '!!int' | '!!float' | '!!str';

/**
 * Resolves a scalar as yaml.v3 does, not as YAML 1.2 does: `mode: 0644` must be octal 420
 * (Go's strconv base-0 rules, underscores dropped), because every Butane config relies on it.
 */
export function resolveScalar(node: Node): { tag: ScalarTag; text: string; int?: number; bool?: boolean } {
  if (!isScalar(node)) return { tag: '!!str', text: '' };
  const text = node.source ?? String(node.value ?? '');
  if (node.type !== 'PLAIN') return { tag: '!!str', text: typeof node.value === 'string' ? node.value : text };
  if (text === '' || text === '~' || /^(null|Null|NULL)$/.test(text)) return { tag: '!!null', text };
  if (/^(true|True|TRUE)$/.test(text)) return { tag: '!!bool', text, bool: true };
  if (/^(false|False|FALSE)$/.test(text)) return { tag: '!!bool', text, bool: false };
  const int = goParseInt(text.replaceAll('_', ''));
  if (int !== undefined) return { tag: '!!int', text, int };
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/.test(text)) {
    return { tag: '!!float', text };
  }
  return { tag: '!!str', text };
}

/** yaml.v3 also accepts YAML 1.1 words for a Go bool field (but not for untyped values). */
export function yaml11Bool(text: string): boolean | undefined {
  if (/^(y|Y|yes|Yes|YES|on|On|ON)$/.test(text)) return true;
  if (/^(n|N|no|No|NO|off|Off|OFF)$/.test(text)) return false;
  return undefined;
}

function goParseInt(s: string): number | undefined {
  const m = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|(0[0-7]*)|([1-9][0-9]*))$/.exec(s);
  if (!m) return undefined;
  const [, sign, hex, oct, bin, legacyOct, dec] = m;
  const value =
    hex !== undefined
      ? Number.parseInt(hex, 16)
      : oct !== undefined
        ? Number.parseInt(oct, 8)
        : bin !== undefined
          ? Number.parseInt(bin, 2)
          : legacyOct !== undefined
            ? Number.parseInt(legacyOct, 8)
            : Number.parseInt(dec ?? '', 10);
  if (!Number.isSafeInteger(value)) return undefined;
  return sign === '-' ? -value : value;
}
