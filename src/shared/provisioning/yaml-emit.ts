import { Document, isScalar, isSeq, visit } from 'yaml';

/**
 * YAML for other parsers: cloud-init reads it with PyYAML (YAML 1.1) and Butane with yaml.v3, which
 * both still treat `yes`, `on`, `0644` or `1:20` as non-strings. Emitting with YAML 1.1 rules quotes
 * every such string, and long lines are never folded (an ssh key must stay one line).
 */
export function emitYaml(value: unknown, octalKeys: readonly string[] = []): string {
  const doc = new Document(value, { version: '1.1' });
  visit(doc, {
    // A command as an argument list (runcmd) reads best on one line: [systemctl, enable, --now, x].
    Seq(_, seq, path) {
      if (isSeq(path[path.length - 1])) seq.flow = true;
    },
    Pair(_, pair) {
      // `mode: 0644` reads as what people write; both yaml.v3 and our translator take it as octal.
      if (isScalar(pair.key) && octalKeys.includes(String(pair.key.value)) && isScalar(pair.value)) {
        if (typeof pair.value.value === 'number') pair.value.format = 'OCT';
      }
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** Drops absent optional fields so the emitted YAML only says what the intent says. */
export function withoutUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
