import { Link } from 'react-router';
import type { StageExecution } from '../../../shared/domain/execution';
import { paths } from '../../lib/paths';

/** Where a finished bake's version is in the registry: the step after reading its log. */
export function BakedImageLink({ stage }: { stage: StageExecution }) {
  const image = stage.outputs?.image;
  if (stage.type !== 'bake' || typeof image !== 'string' || !image.includes(':')) return null;
  const name = image.slice(0, image.indexOf(':'));
  return (
    <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-500/10 dark:text-emerald-200">
      {stage.outputs?.cached === true ? 'Unchanged inputs: the existing version ' : 'Baked '}
      <Link to={paths.image(name)} className="font-mono font-semibold underline underline-offset-2">
        {image}
      </Link>
      {typeof stage.outputs?.checksum === 'string' && <span className="ml-2 font-mono text-xs break-all">{stage.outputs.checksum}</span>}
    </p>
  );
}
