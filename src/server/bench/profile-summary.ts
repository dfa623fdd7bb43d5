/** A V8 CPU profile (Profiler.stop's `profile`, or a `.cpuprofile` file), as much as is read here. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/** Groups a frame by package (node_modules), Node internals by module, Kiln's own code by file. */
function packageOf(url: string, functionName: string): string {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  if (url === '') return `(native) ${functionName}`;
  return url.replace(/^.*\/src\//, 'src/');
}

/**
 * The busiest frames by self time and the packages they belong to, each as a share of the busy
 * (not idle) time and in µs per request: a list a person reads to see what costs per request.
 */
export function topFrames(profile: CpuProfile, requests: number, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfById = new Map<number, number>();
  profile.samples.forEach((id, i) => selfById.set(id, (selfById.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const frames = new Map<string, number>();
  const packages = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfById) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    busy += us;
    const where = packageOf(url, functionName);
    const frame = `${functionName || '(anonymous)'} ${where}${url ? `:${lineNumber + 1}` : ''}`;
    frames.set(frame, (frames.get(frame) ?? 0) + us);
    packages.set(where, (packages.get(where) ?? 0) + us);
  }
  const list = (title: string, m: Map<string, number>) => [
    `  ${title}`,
    ...[...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => `    ${((us / busy) * 100).toFixed(1).padStart(5)} %  ${(us / Math.max(1, requests)).toFixed(2).padStart(6)} µs/req  ${name}`),
  ];
  return [
    `  busy ${(busy / 1000).toFixed(0)} ms in the profile, ${(busy / Math.max(1, requests)).toFixed(1)} µs per request`,
    ...list('by package', packages),
    ...list('by frame (self time)', frames),
  ].join('\n');
}
