import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { DEMO_APPLICATION, DEMO_PIPELINE } from '../../../shared/domain/demo';
import { paths } from '../../lib/paths';
import { pipelinesQuery } from '../../lib/pipeline-queries';
import { demoLinkClass } from './demo-link';

/** Straight to the demo pipeline's editor once it is known; storefront's pipelines until then. */
export function DemoPipelineLink() {
  const pipelines = useQuery(pipelinesQuery(DEMO_APPLICATION));
  const pipeline = pipelines.data?.find((p) => p.name === DEMO_PIPELINE);
  return pipeline ? (
    <Link to={paths.pipelineEditor(DEMO_APPLICATION, pipeline.id)} className={demoLinkClass}>
      {DEMO_PIPELINE}
    </Link>
  ) : (
    <Link to={paths.applicationPipelines(DEMO_APPLICATION)} className={demoLinkClass}>
      storefront’s pipelines
    </Link>
  );
}
