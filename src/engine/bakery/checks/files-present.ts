import { defineCheck } from './check';

/** Every path the recipe's tests list is in the image. */
export const filesPresentCheck = defineCheck({
  name: 'files present',
  applies: (image) => image.recipe.tests.files.length > 0,
  async run({ recipe, reader }) {
    for (const path of recipe.tests.files) {
      if (!(await reader.exists(path))) return `${path} is not in the image`;
    }
    return undefined;
  },
});
