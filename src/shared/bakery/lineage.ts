import type { ImageVersion } from '../domain/image';

type Node = Pick<ImageVersion, 'id' | 'name' | 'version' | 'revoked'> & { parent?: { id: string; ref: string } | undefined };

const number = (version: string) => Number(version.slice(1));

/**
 * A child built on an old version of its parent: the parent's image has a newer version that is not
 * revoked, so a rebake would pick up its fixes. Undefined when the parent is the newest (or gone).
 */
export function staleParent(image: Node, all: readonly Node[]): { parent: string; newest: string } | undefined {
  if (!image.parent) return undefined;
  const parent = all.find((i) => i.id === image.parent!.id);
  if (!parent) return undefined;
  const newer = all.filter((i) => i.name === parent.name && !i.revoked && number(i.version) > number(parent.version)).sort((a, b) => number(b.version) - number(a.version))[0];
  return newer ? { parent: `${parent.name}:${parent.version}`, newest: `${newer.name}:${newer.version}` } : undefined;
}

/**
 * Every image built on `id`, however deep (children, their children…), nearest generation first:
 * what also runs a base image when server groups run images built on it.
 */
export function descendantsOf(id: string, all: readonly Node[]): Node[] {
  const out: Node[] = [];
  const seen = new Set<string>([id]);
  let generation = [id];
  while (generation.length > 0) {
    const next = all.filter((i) => i.parent && generation.includes(i.parent.id) && !seen.has(i.id));
    next.forEach((i) => seen.add(i.id));
    out.push(...next);
    generation = next.map((i) => i.id);
  }
  return out;
}
