import { describe } from 'vitest';
import { describeProviderContract } from '../contract/provider-contract';
import { makeDockerContractHarness, TEST_DOCKER_HOST } from './docker-harness';

// The same contract as the local cloud's, against a real Docker Engine API (npm test starts Podman).
describe.skipIf(!TEST_DOCKER_HOST)('containers (skipped without KILN_TEST_DOCKER_HOST: npm test runs them through with-podman.sh)', () => {
  describeProviderContract('docker', makeDockerContractHarness);
});
