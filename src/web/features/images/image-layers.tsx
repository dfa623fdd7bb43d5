import type { BuildMetadata } from '../../../shared/domain/image';
import { formatBytes } from './format-bytes';

/** An OCI version's layers, base first, each with what made it (`COPY --from=build …`) and its compressed size. */
export function ImageLayers({ layers }: { layers: BuildMetadata['layers'] }) {
  if (!layers || layers.length === 0) return null;
  return (
    <details className="mt-0.5 text-left text-xs text-zinc-600 dark:text-zinc-400">
      <summary className="cursor-pointer text-right">
        {layers.length} layer{layers.length === 1 ? '' : 's'}
      </summary>
      <ol aria-label="Layers" className="mt-1 list-decimal pl-5">
        {layers.map((l) => (
          <li key={l.digest} title={l.digest} className="whitespace-nowrap">
            <span className="font-mono">{l.createdBy}</span> · {formatBytes(l.sizeBytes)}
          </li>
        ))}
      </ol>
    </details>
  );
}
