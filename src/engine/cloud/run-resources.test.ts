import { describe, expect, it } from 'vitest';
import { containerLimits, notEnforced, podResources, vmSize } from './run-resources';
import { healthPathFor } from './health-path';

describe("a recipe's run settings, per provider", () => {
  it("asks an instance's health where the image says, else where its balancer does, else /health", () => {
    expect(healthPathFor('/ready', ['/health'])).toBe('/ready');
    expect(healthPathFor(undefined, [undefined, '/status'])).toBe('/status');
    expect(healthPathFor(undefined, [])).toBe('/health');
  });

  it('gives a container its share in the Engine API units and a pod equal requests and limits in Kubernetes quantities', () => {
    expect(containerLimits({ cpu: 0.5, memoryMiB: 256 })).toEqual({ NanoCpus: 500_000_000, Memory: 256 * 1024 * 1024 });
    expect(containerLimits(undefined)).toEqual({});
    expect(podResources({ cpu: 0.25, memoryMiB: 128 })).toEqual({ requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '250m', memory: '128Mi' } });
    expect(podResources({ memoryMiB: 64 })).toEqual({ requests: { memory: '64Mi' }, limits: { memory: '64Mi' } });
    expect(podResources({})).toBeUndefined();
  });

  it("sizes a VM in whole vCPUs within this machine's bounds and refuses one larger than the host, naming the field", () => {
    const defaults = { cpus: 1, memoryMiB: 256 };
    const host = { cpus: 2, memoryMiB: 4096 };
    expect(vmSize(undefined, defaults, host, 'web:v1')).toEqual({ cpus: 1, memoryMiB: 256 });
    expect(vmSize({ cpu: 1.5, memoryMiB: 512 }, defaults, host, 'web:v1')).toEqual({ cpus: 2, memoryMiB: 512 });
    expect(() => vmSize({ cpu: 4 }, defaults, host, 'web:v1')).toThrow(
      expect.objectContaining({ kind: 'bad_request', field: 'image', message: expect.stringMatching(/asks for 4 CPU \(run.resources.cpu\) but this machine has 2/) }),
    );
    expect(() => vmSize({ memoryMiB: 8192 }, defaults, host, 'web:v1')).toThrow(/8192 MiB \(run.resources.memoryMiB\) but this machine has 4096 MiB/);
  });

  it('says plainly the local cloud does not enforce them, and says nothing when there are none', () => {
    expect(notEnforced({ cpu: 0.5, memoryMiB: 256 })).toMatch(/^run.resources \(0.5 CPU, 256 MiB\) are not enforced by the local cloud/);
    expect(notEnforced(undefined)).toBeUndefined();
  });
});
