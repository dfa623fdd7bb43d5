import { z } from 'zod';
import { endpoint } from './endpoint';
import { ChannelAssignment, ChannelName, ImageDetail, ImageSummary, ImageVersion, ImageVersionLabel } from '../domain/image';
import { ImageName } from '../domain/recipe';

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
