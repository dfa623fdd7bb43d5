import { queryOptions } from '@tanstack/react-query';
import { getImage, listImages } from '../../../shared/api/images';
import { getRecipe, listRecipeRevisions, listRecipes } from '../../../shared/api/recipes';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';

export const imagesQuery = () => queryOptions({ queryKey: queryKeys.images.list(), queryFn: ({ signal }) => apiFetch(listImages, { signal }) });

export const imageQuery = (name: string) => queryOptions({ queryKey: queryKeys.images.detail(name), queryFn: ({ signal }) => apiFetch(getImage, { params: { name }, signal }) });

export const recipesQuery = () => queryOptions({ queryKey: queryKeys.images.recipes(), queryFn: ({ signal }) => apiFetch(listRecipes, { signal }) });

export const recipeQuery = (recipeId: string) =>
  queryOptions({ queryKey: queryKeys.images.recipe(recipeId), queryFn: ({ signal }) => apiFetch(getRecipe, { params: { recipeId }, signal }) });

export const recipeRevisionsQuery = (recipeId: string) =>
  queryOptions({
    queryKey: queryKeys.images.recipeRevisions(recipeId),
    queryFn: ({ signal }) => apiFetch(listRecipeRevisions, { params: { recipeId }, signal }),
  });
