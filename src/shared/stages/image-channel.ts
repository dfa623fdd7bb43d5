import { z } from 'zod';
import { ChannelName } from '../domain/image';
import { defineStage, TemplateString } from './definition';

const ImageSelector = TemplateString.refine(
  (v) => v.includes('${') || /^[a-z0-9][a-z0-9._-]*:v[1-9][0-9]*$/.test(v),
  'image must be name:vN (like storefront:v3) or a ${ … } expression',
);

export const imageChannelStage = defineStage({
  label: 'Move image channel',
  description:
    "Points a channel of Kiln's image registry (e.g. production) at an image version, as the registry page does; a revoked version is refused. " +
    'The run must act for an admin (channels are changed by admins). Outputs: image, channel, previous (the version the channel pointed at before).',
  config: z.object({
    /** `name:vN`, usually a bake's or find image's output: `${ stages['Bake'].outputs.image }`. */
    image: ImageSelector,
    channel: ChannelName,
  }),
  defaults: { image: "${ stages['Bake'].outputs.image }", channel: 'production' },
  fieldLabels: { image: 'Image version' },
  writesLog: true,
});
