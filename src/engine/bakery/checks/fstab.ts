import { defineCheck } from './check';

export const fstabCheck = defineCheck({
  name: 'fstab',
  applies: (image) => (image.recipe.provisioning?.fstab.length ?? 0) > 0,
  async run({ recipe, reader }) {
    const fstab = await reader.read('/etc/fstab');
    if (fstab === undefined) return '/etc/fstab is missing';
    const mounted = new Set(
      fstab
        .split('\n')
        .filter((l) => l.trim() && !l.trim().startsWith('#'))
        .map((l) => l.trim().split(/\s+/)[1]),
    );
    const missing = recipe.provisioning!.fstab.find((e) => !mounted.has(e.mountPoint));
    return missing ? `/etc/fstab has no entry for ${missing.mountPoint}` : undefined;
  },
});
