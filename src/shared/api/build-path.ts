/**
 * Replaces `:param` segments; values are URL-encoded so names with dots or tildes survive.
 * `::` is Fastify's escape for a literal colon (custom methods such as `butane::translate`).
 */
export function buildPath(path: string, params: Record<string, string | number>): string {
  return path.replace(/::|:([A-Za-z]+)/g, (_, key: string | undefined) => {
    if (key === undefined) return ':';
    const value = params[key];
    if (value === undefined) throw new Error(`missing path parameter ${key} for ${path}`);
    return encodeURIComponent(String(value));
  });
}
