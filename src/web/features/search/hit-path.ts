import type { SearchHit } from '../../../shared/domain/search';
import { paths } from '../../lib/paths';

/** Where a search hit leads: the page that shows it, with it selected where the page can select. */
export function hitPath(hit: SearchHit): string {
  const app = hit.application ?? '';
  switch (hit.kind) {
    case 'application':
      return paths.application(app);
    case 'pipeline':
      return paths.pipelineEditor(app, hit.pipelineId ?? '');
    case 'cluster':
      return `${paths.applicationClusters(app)}?${new URLSearchParams({ account: hit.account ?? '', q: hit.cluster ?? '' })}`;
    case 'serverGroup':
    case 'instance':
      return paths.applicationClusters(app, { select: { account: hit.account ?? '', region: hit.region ?? '', name: hit.serverGroup ?? '' } });
    case 'image':
      return paths.image(hit.image ?? '');
    case 'execution':
      return paths.execution(app, hit.executionId ?? '');
    case 'loadBalancer':
      return paths.applicationClusters(app);
  }
}
