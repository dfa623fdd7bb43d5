/** The throwaway registry with-registry.sh starts (Debian's docker-registry with htpasswd auth). */
export const TEST_REGISTRY = process.env.KILN_TEST_REGISTRY;
export const TEST_REGISTRY_USER = process.env.KILN_TEST_REGISTRY_USER ?? '';
export const TEST_REGISTRY_PASSWORD = process.env.KILN_TEST_REGISTRY_PASSWORD ?? '';
export const REGISTRY_SKIP_REASON = 'KILN_TEST_REGISTRY is unset: run through src/tools/with-registry.sh to push to a real registry';

/** In CI a missing registry is a failure, not a skip: a silently skipped push test would look green. */
export function registryOrSkip(): boolean {
  if (!TEST_REGISTRY && process.env.CI) throw new Error(REGISTRY_SKIP_REASON);
  return !TEST_REGISTRY;
}

/** A repository name no other test run uses, so runs against one registry never see each other's blobs. */
export const uniqueName = (base: string) => `${base}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
