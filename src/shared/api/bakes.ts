import { z } from 'zod';
import { endpoint } from './endpoint';
import { Bake, BakeNowRequest } from '../domain/bake';
import { ApplicationName } from '../domain/names';
import { ImageName } from '../domain/recipe';

export const BakeNowParams = z.object({ application: ApplicationName, recipe: ImageName });

export const startBake = endpoint({
  method: 'POST',
  path: '/api/applications/:application/recipes/:recipe/bakes',
  summary:
    "Bake a recipe's newest revision now, as a run of the application (EXECUTE on it, and on each push account); 202 with the bake; 409 naming the bake when one of this recipe already runs",
  params: BakeNowParams,
  // No body at all is the same as `{}`: bake with the defaults.
  body: BakeNowRequest.prefault({}),
  response: Bake,
  status: 202,
});

export const getBake = endpoint({
  method: 'GET',
  path: '/api/bakes/:bakeId',
  summary: 'An on-demand bake: its status, the image version it produced, where its live log is',
  params: z.object({ bakeId: z.uuid('bake id must be a UUID') }),
  response: Bake,
});
