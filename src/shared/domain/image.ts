import { z } from 'zod';

/** The image a server group was launched from; the image registry (bakery) owns the full record. */
export const ImageRef = z.object({
  name: z.string().min(1).max(128),
  version: z.string().min(1).max(64),
  /** Content address of the artifact (sha256), when known. */
  digest: z.string().regex(/^sha256:[a-f0-9]{64}$/).optional(),
});
export type ImageRef = z.infer<typeof ImageRef>;
