/**
 * In-process notice that the registry changed (a bake, a revocation), so the local cloud's image
 * catalogue reloads at once instead of at its next periodic refresh.
 */
const listeners = new Set<() => void>();

export function onImagesChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

export function notifyImagesChanged(): void {
  for (const listener of listeners) listener();
}
