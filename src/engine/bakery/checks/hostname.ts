import { defineCheck } from './check';

export const hostnameCheck = defineCheck({
  name: 'hostname',
  applies: (image) => image.recipe.provisioning?.hostname !== undefined,
  async run({ recipe, reader }) {
    const want = recipe.provisioning!.hostname!;
    const got = (await reader.read('/etc/hostname'))?.trim();
    if (got === undefined) return '/etc/hostname is missing';
    return got === want ? undefined : `/etc/hostname says '${got}', the recipe asks for '${want}'`;
  },
});
