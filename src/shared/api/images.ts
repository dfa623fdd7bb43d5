import { z } from 'zod';
import { endpoint } from './endpoint';
import { ChannelAssignment, ChannelName, ImageDetail, ImagePush, ImageRef, ImageSummary, ImageVersion, ImageVersionLabel } from '../domain/image';
import { AccountName } from '../domain/ids';
import { ImageName } from '../domain/recipe';
import { ApplicationParams } from './applications';

export const ImageParams = z.object({ name: ImageName });

export const listImages = endpoint({
  method: 'GET',
  path: '/api/images',
  summary: 'Every image in the registry with its newest version and channels',
  response: z.array(ImageSummary),
});

export const getImage = endpoint({
  method: 'GET',
  path: '/api/images/:name',
  summary: "An image's versions (newest first), ancestry, channels with history, and where each version runs",
  params: ImageParams,
  response: ImageDetail,
});

export const AssignChannelBody = z.object({ version: ImageVersionLabel });

export const assignImageChannel = endpoint({
  method: 'PUT',
  path: '/api/images/:name/channels/:channel',
  summary: 'Point a channel (latest, production, …) at a version; the move is kept in the history',
  params: ImageParams.extend({ channel: ChannelName }),
  body: AssignChannelBody,
  response: ChannelAssignment,
});

export const RevokeBody = z.object({
  reason: z.string().trim().min(1, 'reason must say why the image is revoked').max(1000),
  /** When it takes effect; absent: now. A future time schedules it. */
  at: z.iso.datetime({ offset: true, message: 'at must be an ISO-8601 date-time' }).optional(),
});

export const revokeImage = endpoint({
  method: 'POST',
  path: '/api/images/:name/versions/:version/revoke',
  summary: 'Revoke a version now or at a time, with a reason; it spreads to every image built on it',
  params: ImageParams.extend({ version: ImageVersionLabel }),
  body: RevokeBody,
  response: ImageVersion,
});

export const RestoreBody = z.object({
  reason: z.string().trim().min(1, 'reason must say why the revocation is lifted').max(1000),
});

export const restoreImage = endpoint({
  method: 'POST',
  path: '/api/images/:name/versions/:version/restore',
  summary: "Lift a version's own revocation with a reason; the lifted revocation stays on record",
  params: ImageParams.extend({ version: ImageVersionLabel }),
  body: RestoreBody,
  response: ImageVersion,
});

export const DeletedImageVersion = z.object({ name: z.string(), version: ImageVersionLabel, deleted: z.literal(true), filesRemoved: z.boolean() });

export const deleteImageVersion = endpoint({
  method: 'DELETE',
  path: '/api/images/:name/versions/:version',
  summary:
    'Delete a version and its files (kept when another version shares the bytes); 409 naming the server groups that run it, the channels pointing at it and the images built on it',
  params: ImageParams.extend({ version: ImageVersionLabel }),
  response: DeletedImageVersion,
});

export const PushImageBody = z.object({ account: AccountName });

/** Where the version went, and what the push did (each blob uploaded, mounted or already there). */
export const ImagePushResult = ImagePush.extend({ log: z.array(z.string()) });
export type ImagePushResult = z.infer<typeof ImagePushResult>;

export const pushImageVersion = endpoint({
  method: 'POST',
  path: '/api/images/:name/versions/:version/pushes',
  summary:
    "Push an oci version to an account's registry with the account's write-only credentials (EXECUTE on the account); blobs the registry has are skipped, the manifest digest is recorded",
  params: ImageParams.extend({ version: ImageVersionLabel }),
  body: PushImageBody,
  status: 201,
  response: ImagePushResult,
});

export const ImageLookupQuery = z
  .object({
    instanceId: z
      .string()
      .regex(/^i-[a-z0-9]{6,32}$/, "instanceId must look like 'i-' followed by 6-32 lowercase letters or digits")
      .optional(),
    account: z.string().min(1).max(63).optional(),
    region: z.string().min(1).max(63).optional(),
    serverGroup: z.string().min(1).max(200).optional(),
  })
  .refine((q) => q.instanceId !== undefined || (q.account && q.region && q.serverGroup), {
    message: 'give instanceId, or account, region and serverGroup',
    path: ['serverGroup'],
  });

/** What runs there: the server group's image reference, and — when the registry holds it — its record, recipe and commit. */
export const ImageLookup = z.object({
  serverGroup: z.object({ application: z.string(), account: z.string(), region: z.string(), name: z.string() }),
  instanceId: z.string().optional(),
  image: ImageRef,
  /** Absent for images the registry does not hold (the built-in sample app, the demo's display-only groups). */
  registry: ImageVersion.optional(),
});
export type ImageLookup = z.infer<typeof ImageLookup>;

export const lookupImage = endpoint({
  method: 'GET',
  path: '/api/image-lookup',
  summary: 'Reverse lookup: from a server group or an instance to its image, the recipe revision and the commit it was baked from',
  query: ImageLookupQuery,
  response: ImageLookup,
});

/** A server group running a registry image that is revoked or out of date (see shared/bakery/image-flags.ts). */
export const ImageFlag = z.object({
  account: z.string(),
  region: z.string(),
  serverGroup: z.string(),
  image: ImageRef,
  kind: z.enum(['revoked', 'out-of-date']),
  /** `revoked: <reason>` or `out of date: v3 running, channel production points at v5`. */
  message: z.string(),
  channel: z.string().optional(),
  target: ImageVersionLabel.optional(),
});
export type ImageFlag = z.infer<typeof ImageFlag>;

export const listImageFlags = endpoint({
  method: 'GET',
  path: '/api/applications/:application/image-flags',
  summary: "An application's server groups whose image is revoked or out of date (the clusters view flags them)",
  params: ApplicationParams,
  response: z.array(ImageFlag),
});

/**
 * Where an image version's artifact is downloaded (its bytes, so not a JSON endpoint): streamed,
 * with ranges, its size and its sha256 (`Repr-Digest`, ETag).
 */
export const IMAGE_DOWNLOAD_PATH = '/api/images/:name/versions/:version/artifact';
export const imageDownloadUrl = (name: string, version: string) => IMAGE_DOWNLOAD_PATH.replace(':name', encodeURIComponent(name)).replace(':version', encodeURIComponent(version));
