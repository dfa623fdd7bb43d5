import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';

/** `stages[6].config.seconds` → ['stages', 6, 'config', 'seconds']. */
export function pathSegments(path: string): Array<string | number> {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

/**
 * Where in the text (a character offset) a problem's path is: the key of the field it names, or,
 * for a field that is missing, the deepest part of the path that is there (the stage's `config:`).
 * JSON is YAML too, so one parser with source ranges serves both views.
 */
export function offsetOfPath(text: string, path: string): number | undefined {
  let doc;
  try {
    doc = parseDocument(text, { keepSourceTokens: false });
  } catch {
    return undefined;
  }
  if (doc.errors.length > 0) return undefined;
  let node: unknown = doc.contents;
  let at: number | undefined = (doc.contents as YamlNode | null)?.range?.[0];
  for (const seg of pathSegments(path)) {
    if (isMap(node) && typeof seg === 'string') {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === seg);
      if (!pair) break;
      at = (pair.key as YamlNode).range?.[0] ?? at;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as YamlNode | undefined;
      if (!item) break;
      at = item.range?.[0] ?? at;
      node = item;
    } else break;
  }
  return at;
}

/** The 1-based line of a problem's path in the text (see offsetOfPath). */
export function lineOfPath(text: string, path: string): number | undefined {
  const offset = offsetOfPath(text, path);
  if (offset === undefined) return undefined;
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
