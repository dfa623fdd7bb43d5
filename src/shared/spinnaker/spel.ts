import { isKilnExpression } from '../expression/evaluate';
import { parseExpression } from '../expression/parse';
import { errorMessage } from '../error-message';

/**
 * Spinnaker's SpEL, the forms pipelines actually use, rewritten into Kiln's expression language.
 * Anything else is reported (with what Kiln could not read) rather than passed off as text.
 */
export type SpelResult = { ok: true; text: string } | { ok: false; text: string; reason: string };

/** SpEL helper functions Kiln has under the same meaning (readJson reads a JSON string, as fromJson does). */
const FUNCTIONS: Record<string, string> = {
  size: 'size',
  toInt: 'toInt',
  toFloat: 'toFloat',
  toBoolean: 'toBoolean',
  alphanumerical: 'alphanumerical',
  fromJson: 'fromJson',
  readJson: 'fromJson',
  toJson: 'toJson',
};

/** Applies `rewrite` to the parts of `src` outside quoted strings. */
function outsideStrings(src: string, rewrite: (code: string) => string): string {
  return src.replace(/('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|([^'"]+)/g, (_m, quoted: string | undefined, code: string | undefined) => quoted ?? rewrite(code ?? ''));
}

/** One SpEL expression (the inside of `${ … }`) in Kiln's language. */
export function translateSpelExpression(src: string): SpelResult {
  let text = src
    .trim()
    // A stage's context is where Spinnaker keeps what a stage produced; Kiln calls it outputs.
    .replace(/#stage\(\s*(['"])([^'"]*)\1\s*\)\s*(?:\[\s*['"](?:context|outputs)['"]\s*\]|\.(?:context|outputs)\b)/g, "stages['$2'].outputs")
    .replace(/#stage\(\s*(['"])([^'"]*)\1\s*\)/g, "stages['$2']")
    .replace(/#judg(?:e)?ment\(\s*(['"])([^'"]*)\1\s*\)/g, "stages['$2'].outputs.judgment");
  text = outsideStrings(text, (code) =>
    code
      .replace(/#([A-Za-z]+)\s*\(/g, (m, name: string) => (FUNCTIONS[name] ? `${FUNCTIONS[name]}(` : m))
      .replace(/\band\b/g, '&&')
      .replace(/\bor\b/g, '||')
      .replace(/\bnot\s+/g, '!')
      .replace(/\beq\b/g, '==')
      .replace(/\bne\b/g, '!='),
  );
  const unknownHelper = /#([A-Za-z]+)/.exec(outsideStrings(text, (c) => c.replace(/[^#A-Za-z]/g, ' ')));
  if (unknownHelper) return { ok: false, text: src, reason: `SpEL helper #${unknownHelper[1]} has no Kiln equivalent` };
  if (!isKilnExpression(text))
    return { ok: false, text: src, reason: `'${text.split(/[^A-Za-z0-9_$]/)[0]}' is not something a Kiln expression can read (stages, parameters, trigger, execution)` };
  try {
    parseExpression(text);
  } catch (err) {
    return { ok: false, text: src, reason: errorMessage(err) };
  }
  return { ok: true, text };
}

const TEMPLATE = /\$\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g;

/** A string with `${ … }` parts: each translated; the first that cannot be is the reason. */
export function translateSpel(value: string): SpelResult {
  let failure: string | undefined;
  const text = value.replace(TEMPLATE, (whole, inner: string) => {
    const r = translateSpelExpression(inner);
    if (!r.ok) {
      failure ??= `${inner.trim()}: ${r.reason}`;
      return whole;
    }
    return `\${ ${r.text} }`;
  });
  return failure === undefined ? { ok: true, text } : { ok: false, text: value, reason: failure };
}
