import { useQuery } from '@tanstack/react-query';
import { looksLikePipelineId } from '../../../../shared/domain/pipeline-watch';
import { inputClasses } from '../../../stages/field-input';
import { pipelinesQuery } from '../../../lib/pipeline-queries';

/**
 * A pipeline trigger watches a pipeline by id (names can be reused, see pipeline-watch.ts), so the
 * field is a choice among the application's pipelines by name; the id is what gets saved. Until
 * the list arrives (or if the application has none) a typed name still works: the server turns it
 * into the id on save.
 */
export function WatchedPipelineField({ application, value, onChange }: { application: string; value: string; onChange: (pipeline: string) => void }) {
  const list = useQuery({ ...pipelinesQuery(application), enabled: application !== '' });
  const pipelines = list.data ?? [];
  if (pipelines.length === 0) {
    return <input className={inputClasses()} value={value} onChange={(e) => onChange(e.target.value)} />;
  }
  const known = pipelines.some((p) => p.id === value);
  return (
    <select className={inputClasses()} value={value} onChange={(e) => onChange(e.target.value)}>
      {value === '' && <option value="">Choose a pipeline…</option>}
      {!known && value !== '' && <option value={value}>{looksLikePipelineId(value) ? `A deleted pipeline (${value})` : `${value} (by name: saving picks its id)`}</option>}
      {pipelines.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </select>
  );
}
