import { describeProviderContract } from '../contract/provider-contract';
import { makeKubernetesContractHarness } from './kubernetes-harness';

// The contract every provider keeps, against the Kubernetes provider over the fake API server, whose
// pods are real processes on loopback addresses and whose LoadBalancer Services really forward. A
// Service spreads connections over ready pods and counts none: the traffic tests check that instead.
describeProviderContract('kubernetes (simulated API server)', makeKubernetesContractHarness, { trafficByInstanceCount: true, rebootReplacesInstance: true });
