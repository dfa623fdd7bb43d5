/**
 * The Spinnaker account names a pipeline (or a list of them) uses — stages' `account`/`credentials`,
 * deploy clusters' `account`, preconditions' `credentials` — so a person can map each to a Kiln
 * account before importing. Expressions are left out: they are not names.
 */
export function spinnakerAccountsOf(input: unknown): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, depth: number): void => {
    if (depth > 20 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach((v) => walk(v, depth + 1));
    for (const [key, v] of Object.entries(value)) {
      // Triggers' accounts are registries (docker), not clouds: they are not mapped to Kiln accounts.
      if (key === 'triggers') continue;
      if ((key === 'account' || key === 'credentials') && typeof v === 'string' && v !== '' && !v.includes('${')) found.add(v);
      else walk(v, depth + 1);
    }
  };
  walk(input, 0);
  return [...found].sort();
}
