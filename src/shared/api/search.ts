import { z } from 'zod';
import { endpoint } from './endpoint';
import { SearchResults } from '../domain/search';

export const SearchQuery = z.object({
  q: z.string().trim().min(1, 'q must not be empty').max(200, 'q must be at most 200 characters'),
});

export const searchEverything = endpoint({
  method: 'GET',
  path: '/api/search',
  summary:
    'Everything whose name, id, address or image:version contains q, among what the caller may read: applications, pipelines, clusters, server groups, instances, images, executions (by id) and load balancers',
  query: SearchQuery,
  response: SearchResults,
});
