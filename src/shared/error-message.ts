/** What went wrong, in words, whatever was thrown (an Error, a string, a rejected non-Error). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
