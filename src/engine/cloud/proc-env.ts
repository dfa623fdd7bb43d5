import { readdirSync, readFileSync } from 'node:fs';

/** Processes of this user whose environment has `name` set to a value `matches` accepts (from /proc). */
export function pidsWithEnv(name: string, matches: (value: string) => boolean): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      const value = env.find((e) => e.startsWith(`${name}=`))?.slice(name.length + 1);
      if (value !== undefined && matches(value)) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return found;
}
