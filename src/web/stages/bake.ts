import { defineStageUi, str } from './stage-ui';

export const bakeUi = defineStageUi('bake', {
  icon: 'M4 20h16M6 16h12l-1-9H7l-1 9zM9 7V4h6v3',
  tone: 'bg-rose-100 text-rose-700 dark:bg-rose-950 dark:text-rose-300',
  summary: (c) =>
    `bake ${str(c.recipe, '?')}${c.rebake === true ? ' (rebake)' : ''}${Array.isArray(c.push) && c.push.length > 0 ? `, push to ${c.push.map(String).join(', ')}` : ''}`,
  help: {
    recipe: 'Name of the bake recipe (Images → Recipes); its newest revision is baked.',
    rebake: 'Build even when an identical recipe and inputs already made an image.',
    gitCommit: 'Commit recorded with the image, e.g. ${ trigger.parameters.commit }.',
    gitRef: 'Branch or tag recorded with the image.',
    ciRunUrl: 'Link to the CI run that produced the artifact.',
    push: "Accounts whose registries get the baked oci version after its tests pass (the run's person needs EXECUTE on each); the push lines go into the bake log.",
  },
});
