import { Handle, Position, useStore, type Node, type NodeProps, type ReactFlowState } from '@xyflow/react';
import { memo } from 'react';
import type { StageConfig } from '../../../../shared/domain/pipeline';
import { isStageType, stageDefinitions } from '../../../../shared/stages/registry';
import { stageUi } from '../../../stages/registry';
import { NODE_HEIGHT, NODE_WIDTH } from '../../../lib/graph-layout/layout-types';

export type StageNodeData = { stage: StageConfig; problems: readonly string[] };
export type StageNode = Node<StageNodeData, 'stage'>;

/** Below this zoom the small print (type, config summary) is under 6 px: a stage shows its name alone, large. */
export const DETAIL_ZOOM = 0.6;
/** Below this zoom even a large name is a few pixels tall: stages are drawn as plain tiles (a 1,000-stage overview stays quick). */
export const TILE_ZOOM = 0.3;
export type NodeDetail = 'full' | 'name' | 'tile';
// Selectors returning a word: a node re-renders when the zoom crosses a threshold, not on every zoom step.
export const nodeDetail = (s: ReactFlowState): NodeDetail => (s.transform[2] < TILE_ZOOM ? 'tile' : s.transform[2] < DETAIL_ZOOM ? 'name' : 'full');
export const zoomedOut = (s: ReactFlowState) => s.transform[2] < DETAIL_ZOOM;

/** A stage on the canvas: type icon, name, the config in a few words, and a mark when it has problems. */
export const StageNodeView = memo(function StageNodeView({ data, selected }: NodeProps<StageNode>) {
  const { stage, problems } = data;
  const known = isStageType(stage.type);
  const ui = stageUi(stage.type);
  const label = isStageType(stage.type) ? stageDefinitions[stage.type].label : `Unsupported: ${stage.type}`;
  const invalid = problems.length > 0;
  const detail = useStore(nodeDetail);
  const badge = invalid && (
    <span
      className={`flex shrink-0 items-center justify-center rounded-full bg-red-600 font-bold text-white ${detail === 'full' ? 'h-5 min-w-5 px-1 text-[11px]' : 'h-9 min-w-9 px-2 text-2xl'}`}
      aria-label={`${problems.length} problem${problems.length === 1 ? '' : 's'}`}
    >
      {problems.length}
    </span>
  );
  if (detail === 'name') {
    // The name at 26 px is still 10 px on screen at 40%: a 9-stage pipeline zoomed out to fit stays readable.
    return (
      <div
        style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}
        className={`flex items-center gap-2 rounded-lg border-2 bg-white px-2 dark:bg-zinc-900 ${
          invalid ? 'border-red-500' : 'border-zinc-300 dark:border-zinc-700'
        } ${selected ? 'ring-4 ring-orange-500' : ''}`}
        data-testid={`stage-node-${stage.refId}`}
        data-detail="name"
        title={invalid ? problems.join('\n') : stage.name}
      >
        <Handle type="target" position={Position.Left} className="!h-3 !w-3 !border-zinc-400 !bg-white dark:!bg-zinc-800" />
        <span className={`h-10 w-2 shrink-0 rounded ${ui.tone}`} aria-hidden />
        <span className="line-clamp-2 min-w-0 flex-1 text-[26px] leading-[30px] font-semibold break-words text-zinc-900 dark:text-zinc-50">{stage.name}</span>
        {badge}
        <Handle type="source" position={Position.Right} className="!h-3 !w-3 !border-zinc-400 !bg-white dark:!bg-zinc-800" />
      </div>
    );
  }
  if (detail === 'tile') {
    return (
      <div
        style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}
        className={`flex items-center gap-3 rounded-lg border-4 bg-white px-3 dark:bg-zinc-900 ${
          invalid ? 'border-red-500' : selected ? 'border-orange-500' : 'border-zinc-300 dark:border-zinc-700'
        }`}
        data-testid={`stage-node-${stage.refId}`}
        data-detail="tile"
        title={invalid ? problems.join('\n') : stage.name}
      >
        <span className={`h-10 w-10 shrink-0 rounded-md ${ui.tone}`} aria-hidden />
        <span className="h-4 flex-1 rounded bg-zinc-200 dark:bg-zinc-700" aria-hidden />
      </div>
    );
  }
  return (
    <div
      style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}
      className={`flex items-center gap-2 rounded-lg border bg-white px-2 shadow-sm dark:bg-zinc-900 ${
        invalid ? 'border-red-500 dark:border-red-500' : 'border-zinc-300 dark:border-zinc-700'
      } ${selected ? 'ring-2 ring-orange-500' : ''} ${known && stage.type !== 'placeholder' ? '' : 'border-dashed'} ${stage.type === 'placeholder' ? 'opacity-70' : ''}`}
      data-testid={`stage-node-${stage.refId}`}
      data-detail="full"
      title={invalid ? problems.join('\n') : undefined}
    >
      <Handle type="target" position={Position.Left} className="!h-3 !w-3 !border-zinc-400 !bg-white dark:!bg-zinc-800" />
      <span className={`flex h-9 w-9 shrink-0 items-center justify-center rounded-md ${ui.tone}`} aria-hidden>
        <svg viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round">
          <path d={ui.icon} />
        </svg>
      </span>
      <span className="flex min-w-0 flex-1 flex-col leading-tight">
        <span className="truncate text-[10px] font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{label}</span>
        <span className="truncate text-sm font-semibold text-zinc-900 dark:text-zinc-50">{stage.name}</span>
        <span className="truncate font-mono text-[11px] text-zinc-500 dark:text-zinc-400">{ui.summary(stage.config)}</span>
      </span>
      {badge}
      <Handle type="source" position={Position.Right} className="!h-3 !w-3 !border-zinc-400 !bg-white dark:!bg-zinc-800" />
    </div>
  );
});
