import type { Revocation } from '../domain/image';

export interface RevocationNode {
  id: string;
  /** `name:vN` */
  ref: string;
  parentId?: string | undefined;
  /** The image's own revocation (now or scheduled), without `from`. */
  own?: Omit<Revocation, 'from'> | undefined;
}

/**
 * An image is revoked when it or any ancestor is: revocation spreads to every descendant. Of the
 * revocations on the chain, the one that takes effect first counts (an effective one before a
 * scheduled one), and `from` names the ancestor it came from.
 */
export function effectiveRevocation(id: string, nodes: ReadonlyMap<string, RevocationNode>, now: Date): { revocation?: Revocation; revoked: boolean } {
  let best: Revocation | undefined;
  const seen = new Set<string>();
  for (let node = nodes.get(id); node && !seen.has(node.id); node = node.parentId ? nodes.get(node.parentId) : undefined) {
    seen.add(node.id);
    if (!node.own) continue;
    if (!best || Date.parse(node.own.at) < Date.parse(best.at)) {
      best = node.id === id ? { ...node.own } : { ...node.own, from: node.ref };
    }
  }
  if (!best) return { revoked: false };
  return { revocation: best, revoked: Date.parse(best.at) <= now.getTime() };
}

/** The chain of ancestors of an image, nearest first. */
export function ancestorsOf(id: string, nodes: ReadonlyMap<string, RevocationNode>): RevocationNode[] {
  const out: RevocationNode[] = [];
  const seen = new Set<string>([id]);
  for (let p = nodes.get(id)?.parentId; p && !seen.has(p); p = nodes.get(p)?.parentId) {
    seen.add(p);
    const node = nodes.get(p);
    if (node) out.push(node);
  }
  return out;
}
