import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type NodeHandle,
  type Viewport,
} from '@xyflow/react';
import { useCallback, useMemo, useRef, type DragEvent } from 'react';
import { isStageType } from '../../../../shared/stages/registry';
import { useDraft, useDraftStore } from './draft-context';
import type { XY } from './draft-store';
import type { GraphProblems } from './graph-problems';
import { edgeKey, HANDLE_SIZE, NODE_HEIGHT, NODE_WIDTH } from '../../../lib/graph-layout/layout-types';
import { StageEdgeView, type StageEdge } from './stage-edge';
import { StageNodeView, type StageNode } from './stage-node';
import { BIG_PIPELINE } from '../layout/use-auto-layout';
import { useTheme } from './use-theme';
import { useReadOnly } from './read-only';

export const STAGE_DRAG_TYPE = 'application/x-kiln-stage-type';
const nodeTypes = { stage: StageNodeView };
const edgeTypes = { stage: StageEdgeView };
// Fixed-size nodes with declared handles: React Flow need not measure 1,000 nodes, and culled nodes keep their edges.
// Edge routes are made for these handle points (sourcePoint/targetPoint in layout-types.ts).
const H = HANDLE_SIZE / 2;
const HANDLES: NodeHandle[] = [
  { type: 'target', position: 'left' as NodeHandle['position'], x: -H, y: NODE_HEIGHT / 2 - H, width: HANDLE_SIZE, height: HANDLE_SIZE },
  { type: 'source', position: 'right' as NodeHandle['position'], x: NODE_WIDTH - H, y: NODE_HEIGHT / 2 - H, width: HANDLE_SIZE, height: HANDLE_SIZE },
];
const NO_PROBLEMS: readonly string[] = [];
// Constants, not inline literals: the canvas re-renders on every drag step, and React Flow copies
// each changed prop into its store (one more store update per step) or re-binds key listeners.
const DELETE_KEYS = ['Delete', 'Backspace'];
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];
const PRO_OPTIONS = { hideAttribution: true };
const ARROW = { type: MarkerType.ArrowClosed, width: 16, height: 16 };
/** The usual floor for zooming out; a graph too big to fit at it lowers it (see minZoomFor). */
const MIN_ZOOM = 0.05;

/**
 * Zooming out can always reach a zoom where the whole graph fits on screen, with room for Fit
 * View's padding: a 500-stage pipeline is 60-odd columns wide, more than the usual floor shows.
 * Rounded down to a step, so dragging a stage rarely changes it (each change is a store update).
 */
export function minZoomFor(positions: Readonly<Record<string, { x: number; y: number }>>, width: number, height: number): number {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const id in positions) {
    const p = positions[id]!;
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x + NODE_WIDTH);
    maxY = Math.max(maxY, p.y + NODE_HEIGHT);
  }
  if (!(maxX > minX) || width <= 0 || height <= 0) return MIN_ZOOM;
  const fits = Math.min(width / (maxX - minX), height / (maxY - minY)) / 1.5;
  return Math.min(MIN_ZOOM, Math.floor(fits * 200) / 200 || 0.0025);
}

interface CanvasProps {
  problems: GraphProblems;
  onInsertRequest: (edge: { source: string; target: string }) => void;
  onOpenStage: (refId: string) => void;
  /** Where the canvas opens (the layout's view of the graph). */
  initialViewport: Viewport;
}

export function PipelineCanvas({ problems, onInsertRequest, onOpenStage, initialViewport }: CanvasProps) {
  const store = useDraftStore();
  const stages = useDraft((s) => s.draft.stages);
  const positions = useDraft((s) => s.positions);
  const selected = useDraft((s) => s.selected);
  const selectedEdge = useDraft((s) => s.selectedEdge);
  const routes = useDraft((s) => s.routes);
  const flow = useReactFlow();
  const paneWidth = useStore((s) => s.width);
  const paneHeight = useStore((s) => s.height);
  const minZoom = useMemo(() => minZoomFor(positions, paneWidth, paneHeight), [positions, paneWidth, paneHeight]);
  const theme = useTheme();
  const readOnly = useReadOnly() !== undefined;
  const cache = useRef(new Map<string, StageNode>());

  // The cache is read and replaced during render on purpose: it only hands back an equal node object, so a
  // render React throws away leaves it holding nodes just as valid, and dragging 500+ stages stays smooth.
  const nodes = useMemo(() => {
    const chosen = new Set(selected);
    const next = new Map<string, StageNode>();
    // oxlint-disable-next-line react/refs
    const list = stages.map((stage) => {
      const position = positions[stage.refId] ?? { x: 0, y: 0 };
      const messages = problems.byStage.get(stage.refId)?.map((p) => p.message) ?? NO_PROBLEMS;
      const isSelected = chosen.has(stage.refId);
      const old = cache.current.get(stage.refId);
      // Same object when nothing changed, so React Flow and the memoised node skip it (500+ stages while dragging).
      const node: StageNode =
        old && old.data.stage === stage && old.position === position && old.selected === isSelected && old.data.problems.join() === messages.join()
          ? old
          : {
              id: stage.refId,
              type: 'stage',
              position,
              width: NODE_WIDTH,
              height: NODE_HEIGHT,
              measured: { width: NODE_WIDTH, height: NODE_HEIGHT },
              handles: HANDLES,
              selected: isSelected,
              ariaLabel: `Stage ${stage.name}`,
              data: { stage, problems: messages },
            };
      next.set(stage.refId, node);
      return node;
    });
    // oxlint-disable-next-line react/refs
    cache.current = next;
    return list;
  }, [stages, positions, selected, problems]);

  const names = useMemo(() => new Map(stages.map((s) => [s.refId, s.name])), [stages]);
  const edges = useMemo<StageEdge[]>(
    () =>
      stages.flatMap((s) =>
        s.requisiteStageRefIds
          .filter((r) => names.has(r))
          .map((r) => ({
            id: edgeKey(r, s.refId),
            source: r,
            target: s.refId,
            type: 'stage',
            selected: selectedEdge?.source === r && selectedEdge.target === s.refId,
            markerEnd: ARROW,
            ariaLabel: `Dependency from ${names.get(r)} to ${s.name}`,
            data: {
              invalid: problems.edges.has(edgeKey(r, s.refId)),
              between: `${names.get(r)} and ${s.name}`,
              route: routes[edgeKey(r, s.refId)],
              ...(readOnly ? {} : { onInsert: (source: string, target: string) => onInsertRequest({ source, target }) }),
            },
          })),
      ),
    [stages, names, selectedEdge, problems, onInsertRequest, routes, readOnly],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<StageNode>[]) => {
      const s = store.getState();
      const moved: Record<string, XY> = {};
      let selection: Set<string> | undefined;
      // Removals arrive through onDelete, nodes and their edges together, as one undo step.
      for (const c of changes) {
        if (c.type === 'position' && c.position) moved[c.id] = c.position;
        else if (c.type === 'select') {
          selection ??= new Set(s.selected);
          if (c.selected) selection.add(c.id);
          else selection.delete(c.id);
        }
      }
      if (Object.keys(moved).length > 0) s.setPositions(moved);
      if (selection) s.select([...selection]);
    },
    [store],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<StageEdge>[]) => {
      const s = store.getState();
      for (const c of changes) {
        if (c.type === 'select' && c.selected) {
          const [source, target] = c.id.split('->');
          s.selectEdge({ source: source!, target: target! });
        }
      }
    },
    [store],
  );
  const onDelete = useCallback(
    ({ nodes: gone, edges: cut }: { nodes: StageNode[]; edges: StageEdge[] }) =>
      store.getState().removeStages(
        gone.map((n) => n.id),
        cut.map((e) => ({ source: e.source, target: e.target })),
      ),
    [store],
  );
  const onConnect = useCallback((c: Connection) => store.getState().connect({ source: c.source, target: c.target }), [store]);
  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(STAGE_DRAG_TYPE)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(STAGE_DRAG_TYPE);
      if (!isStageType(type)) return;
      e.preventDefault();
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      store.getState().addStage(type, { at: { x: at.x - NODE_WIDTH / 2, y: at.y - NODE_HEIGHT / 2 } });
    },
    [flow, store],
  );
  const onDragStart = useCallback(() => store.getState().beginMove(), [store]);
  const onDragStop = useCallback(() => store.getState().endMove(), [store]);
  const onNodeClick = useCallback((_: unknown, node: StageNode) => onOpenStage(node.id), [onOpenStage]);
  const onPaneClick = useCallback(() => store.getState().selectEdge(undefined), [store]);

  return (
    <ReactFlow<StageNode, StageEdge>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onConnect={onConnect}
      onDelete={onDelete}
      // Read only: stages can be selected (to see their settings), not moved, connected or deleted.
      nodesDraggable={!readOnly}
      nodesConnectable={!readOnly}
      edgesReconnectable={!readOnly}
      onNodeDragStart={onDragStart}
      onNodeDragStop={onDragStop}
      onNodeDoubleClick={onNodeClick}
      onNodeClick={onNodeClick}
      onPaneClick={onPaneClick}
      onDragOver={readOnly ? undefined : onDragOver}
      onDrop={readOnly ? undefined : onDrop}
      deleteKeyCode={readOnly ? null : DELETE_KEYS}
      multiSelectionKeyCode={MULTI_SELECT_KEYS}
      onlyRenderVisibleElements={stages.length > BIG_PIPELINE}
      colorMode={theme}
      minZoom={minZoom}
      // Not fitView: React Flow would fit after measuring, a frame (and a render of every visible stage) later.
      defaultViewport={initialViewport}
      proOptions={PRO_OPTIONS}
    >
      {/* The dot grid is repainted on every pan step; on a big pipeline, full of stages anyway, it cost missed frames (bench: 6–15 of ~150 → 0–2). */}
      {stages.length <= BIG_PIPELINE && <Background gap={24} />}
      <Controls showInteractive={false} />
      {stages.length <= 300 && <MiniMap pannable zoomable ariaLabel="Pipeline overview" />}
    </ReactFlow>
  );
}
