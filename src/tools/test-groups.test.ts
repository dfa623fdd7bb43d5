import { describe, expect, it } from 'vitest';
import { noDatabaseTests, servicesTests } from './test-groups';

// npm test sorts test files by what they import: a file that needs Podman, the registry or
// Prometheus must run in the pass wrapped with them, wherever it lives and however it reaches them.
describe('test files sorted for npm test by what they use', () => {
  it('sends every file that reaches a throwaway service to the services run, and no other', () => {
    const services = servicesTests();
    expect(services).toEqual(
      expect.arrayContaining([
        'src/engine/cloud/docker/docker-contract.test.ts', // the container harness
        'src/engine/cloud/kubernetes/kube-pods-podman.test.ts', // Podman and the registry through two harnesses
        'src/engine/cloud/kubernetes/kubernetes-canary-prometheus.test.ts', // Prometheus, read in the file itself
        'src/cli/commands/image-push.test.ts', // the registry, from outside the engine
      ]),
    );
    for (const file of [
      'src/engine/cloud/providers.test.ts',
      'src/engine/cloud/kubernetes/kubernetes-canary.test.ts',
      'src/server/routes/projects.test.ts',
      'src/tools/test-groups.test.ts',
    ])
      expect(services).not.toContain(file);
  });

  it('lets the PostgreSQL pass skip only files that never open a database', () => {
    const once = noDatabaseTests();
    expect(once).toEqual(expect.arrayContaining(['src/server/engine-door.test.ts', 'src/engine/orchestrator/dag.test.ts', 'src/engine/net/outbound-policy.test.ts']));
    for (const file of [
      'src/server/routes/projects.test.ts',
      'src/db/repositories/events.test.ts',
      'src/engine/presence.postgres.test.ts',
      'src/server/auth/two-processes.postgres.test.ts',
    ])
      expect(once).not.toContain(file);
  });
});
