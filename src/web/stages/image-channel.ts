import { clip, defineStageUi, str } from './stage-ui';

export const imageChannelUi = defineStageUi('imageChannel', {
  icon: 'M7 7h.01M3 3h8l10 10-8 8L3 11V3z',
  tone: 'bg-teal-100 text-teal-700 dark:bg-teal-950 dark:text-teal-300',
  summary: (c) => `${clip(str(c.image, '(no image)'), 28)} → @${str(c.channel, '?')}`,
  about: (c) => (typeof c.channel === 'string' ? `Moves channel ${c.channel} to the image version` : undefined),
  help: {
    image: "name:vN, usually ${ stages['Bake'].outputs.image }.",
    channel: 'The registry channel to point at it, e.g. production.',
  },
});
