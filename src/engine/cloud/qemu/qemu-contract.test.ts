import { describe } from 'vitest';
import { describeProviderContract } from '../contract/provider-contract';
import { makeQemuContractHarness, QEMU_SKIP_REASON } from './qemu-harness';

// The same contract as the local cloud's and the containers', against real QEMU VMs (TCG).
describe.skipIf(QEMU_SKIP_REASON !== undefined)(`VMs${QEMU_SKIP_REASON ? ` (skipped: ${QEMU_SKIP_REASON})` : ''}`, () => {
  describeProviderContract('qemu', makeQemuContractHarness);
});
