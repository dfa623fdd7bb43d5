import { PACKAGES_FILE } from '../provisioners';
import { defineCheck } from './check';

/** Every package a packages provisioner names is in the image's recorded list. */
export const packagesCheck = defineCheck({
  name: 'packages recorded',
  applies: (image) => image.recipe.provisioners.some((p) => p.type === 'packages'),
  async run({ recipe, reader }) {
    const list = await reader.read(PACKAGES_FILE);
    if (list === undefined) return `${PACKAGES_FILE} is missing`;
    const have = new Set(list.split('\n').map((l) => l.trim()));
    const want = recipe.provisioners.flatMap((p) => (p.type === 'packages' ? p.packages : []));
    const missing = want.filter((p) => !have.has(p));
    return missing.length ? `${PACKAGES_FILE} lacks ${missing.join(', ')}` : undefined;
  },
});
