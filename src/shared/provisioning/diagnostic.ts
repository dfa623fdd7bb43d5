import { z } from 'zod';

/**
 * One finding about a Butane source, placed the way Butane places it: a JSON-style path into the
 * source document ($.storage.files.0.mode) and the 1-based line/column of the offending key or value,
 * so the editor can underline it and a user can compare our output with the real `butane` CLI.
 */
export const Diagnostic = z.object({
  path: z.string(),
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  message: z.string(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;

export type Severity = 'error' | 'warning';

/** Butane's own wording (`warning at $.x, line 5 col 7: Unused key x`), so our text matches what people search for. */
export function formatDiagnostic(severity: Severity, d: Diagnostic): string {
  return `${severity} at ${d.path}, line ${d.line} col ${d.column}: ${d.message}`;
}

/** A path element: a mapping key or a sequence index, as in vcontext's ContextPath. */
export type PathPart = string | number;

export function pathString(parts: readonly PathPart[]): string {
  return ['$', ...parts.map(String)].join('.');
}
