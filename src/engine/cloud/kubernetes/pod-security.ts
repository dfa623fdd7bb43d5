import type { V1PodSpec } from '@kubernetes/client-node';

/**
 * Why the PodSecurity admission's `restricted` level (Kubernetes ≥ 1.25) would refuse a pod spec,
 * one line per broken rule; empty when it admits it. Only the rules a pod Kiln writes could break
 * (no volumes, host namespaces, ports or sysctls are ever set): privilege escalation, capabilities,
 * running as non-root, seccomp. From kubernetes.io/docs/concepts/security/pod-security-standards.
 */
export function restrictedProblems(pod: V1PodSpec): string[] {
  const problems: string[] = [];
  const podCtx = pod.securityContext ?? {};
  for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
    const ctx = c.securityContext ?? {};
    if (ctx.allowPrivilegeEscalation !== false) problems.push(`container ${c.name}: allowPrivilegeEscalation must be false`);
    if (ctx.privileged) problems.push(`container ${c.name}: privileged`);
    if (!ctx.capabilities?.drop?.includes('ALL')) problems.push(`container ${c.name}: capabilities must drop ALL`);
    const added = (ctx.capabilities?.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (added.length > 0) problems.push(`container ${c.name}: adds capabilities ${added.join(', ')}`);
    if ((ctx.runAsNonRoot ?? podCtx.runAsNonRoot) !== true) problems.push(`container ${c.name}: runAsNonRoot must be true`);
    if ((ctx.runAsUser ?? podCtx.runAsUser) === 0) problems.push(`container ${c.name}: runAsUser must not be 0`);
    const seccomp = (ctx.seccompProfile ?? podCtx.seccompProfile)?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push(`container ${c.name}: seccompProfile must be RuntimeDefault or Localhost`);
  }
  return problems;
}
