/**
 * Spinnaker's payloadConstraints: a trigger fires only when each named field of the payload (a
 * dot path) matches its regular expression in full. One rule for the BFF, the mocks and tests.
 */
export function payloadValue(payload: unknown, path: string): unknown {
  let value = payload;
  for (const step of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, step)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** Why the payload does not satisfy the constraints, or undefined when it does. */
export function payloadMismatch(constraints: Readonly<Record<string, string>> | undefined, payload: unknown): string | undefined {
  for (const [path, pattern] of Object.entries(constraints ?? {})) {
    const value = payloadValue(payload, path);
    if (value === undefined || value === null || typeof value === 'object') return `payload field '${path}' is missing (constraint: ${pattern})`;
    if (!new RegExp(`^(?:${pattern})$`).test(String(value))) return `payload field '${path}' is '${String(value).slice(0, 200)}', which does not match ${pattern}`;
  }
  return undefined;
}
