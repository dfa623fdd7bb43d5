import { createStore } from 'zustand/vanilla';
import type { PipelineDraft, StageConfig } from '../../../../shared/domain/pipeline';
import { stageDefinitions, isStageType, type StageType } from '../../../../shared/stages/registry';
import { insertStage, pasteStages, removeStageRefs, spliceStage, stageOnEdge, uniqueName } from './graph-edits';
import { COLUMN, edgeUnder, freeSpot, roomOnEdge } from '../layout/placement';
import { layeredPositions } from '../layout/layout';
import type { EdgeRoutes } from '../../../lib/graph-layout/layout-types';

export interface XY {
  x: number;
  y: number;
}
export type Positions = Readonly<Record<string, XY>>;
export interface EdgeRef {
  source: string;
  target: string;
}

interface Snapshot {
  draft: PipelineDraft;
  positions: Positions;
}

export interface DraftState {
  draft: PipelineDraft;
  positions: Positions;
  /** The draft as last loaded or saved: the editor is dirty when `draft` is another object. */
  saved: PipelineDraft;
  revision: number;
  selected: readonly string[];
  selectedEdge: EdgeRef | undefined;
  past: readonly Snapshot[];
  future: readonly Snapshot[];
  /** Bumped to ask the canvas for a fresh automatic layout. */
  layoutRequest: number;
  /** Text of the JSON/YAML view that does not parse yet; kept so switching views loses nothing. */
  codeBuffer: { format: 'json' | 'yaml'; text: string } | undefined;
  clipboard: readonly StageConfig[];
  /** When the last edit was and what it touched, so typing a word is one undo step, not one per key. */
  lastEdit: { key: string; at: number } | undefined;
  moveStart: Positions | undefined;
  /** The last automatic layout's routes for long edges; an edge whose stages moved since is drawn directly. */
  routes: EdgeRoutes;
}

export interface DraftActions {
  addStage(type: StageType, options?: { at?: XY; after?: string }): string;
  insertOnEdge(edge: EdgeRef, type: StageType): string;
  /** Stages and edges deleted together (a Delete key press) are one undo step. */
  removeStages(refIds: readonly string[], edges?: readonly EdgeRef[]): void;
  connect(edge: EdgeRef): void;
  removeEdges(edges: readonly EdgeRef[]): void;
  updateStage(refId: string, patch: Partial<StageConfig>, field?: string): void;
  updateSettings(patch: Partial<PipelineDraft>, field?: string): void;
  /** A whole new draft (text view, import); `codeBuffer` keeps the text being typed as it is. */
  replaceDraft(draft: PipelineDraft, options?: { codeBuffer?: DraftState['codeBuffer']; key?: string }): void;
  select(refIds: readonly string[]): void;
  selectEdge(edge: EdgeRef | undefined): void;
  beginMove(): void;
  setPositions(positions: Positions, options?: { record?: boolean }): void;
  /** An automatic layout's result: every stage's place and the long edges' routes (not an undo step). */
  setLayout(positions: Positions, routes: EdgeRoutes): void;
  endMove(): void;
  copySelection(): void;
  paste(): void;
  undo(): void;
  redo(): void;
  /** The server stored `sent` as `revision`; later edits stay in the draft. */
  /** `stored` is what the server kept (write-only secrets masked, triggers with their ids and owners); the draft takes it unless edited meanwhile. */
  markSaved(sent: PipelineDraft, revision: number, stored?: PipelineDraft): void;
  /** Take a stored version (theirs after a conflict, a restored revision): one undo step away from what was here. */
  loadStored(draft: PipelineDraft, revision: number): void;
  setCodeBuffer(buffer: DraftState['codeBuffer']): void;
  requestLayout(): void;
}

export type DraftStore = ReturnType<typeof createDraftStore>;

const HISTORY_LIMIT = 200;
const COALESCE_MS = 1200;

export function createDraftStore(initial: PipelineDraft, revision: number, now: () => number = Date.now) {
  return createStore<DraftState & DraftActions>()((set, get) => {
    /** Every edit goes through here: one undo step, unless it continues the same field's typing. */
    const commit = (next: Partial<Snapshot>, key?: string, extra: Partial<DraftState> = {}) => {
      const s = get();
      const t = now();
      const coalesce = key !== undefined && s.lastEdit?.key === key && t - s.lastEdit.at < COALESCE_MS;
      const past = coalesce ? s.past : [...s.past, { draft: s.draft, positions: s.positions }].slice(-HISTORY_LIMIT);
      set({
        draft: next.draft ?? s.draft,
        positions: next.positions ?? s.positions,
        past,
        future: [],
        lastEdit: key === undefined ? undefined : { key, at: t },
        codeBuffer: undefined,
        ...extra,
      });
    };
    const placeAfter = (after: string | undefined, positions: Positions = get().positions): XY => {
      const from = after ? positions[after] : undefined;
      if (from) return freeSpot(positions, { x: from.x + COLUMN, y: from.y });
      const all = Object.values(positions);
      return all.length === 0 ? { x: 0, y: 0 } : freeSpot(positions, { x: Math.max(...all.map((p) => p.x)) + COLUMN, y: 0 });
    };
    /** A stage let go on a dependency goes in between (the direct edge goes), with room made for it. */
    const spliced = (stages: readonly StageConfig[], positions: Positions, refId: string) => {
      const edge = edgeUnder(refId, positions, stages);
      if (!edge) return undefined;
      const { [refId]: _self, ...others } = positions;
      const room = roomOnEdge(others, edge.source, edge.target);
      return { stages: spliceStage(stages, refId, edge), positions: { ...positions, ...room.moved, [refId]: room.at } };
    };

    return {
      draft: initial,
      // Instant layers until the layout arrives from its worker: nothing is ever drawn in a pile.
      positions: layeredPositions(initial.stages),
      saved: initial,
      revision,
      selected: [],
      selectedEdge: undefined,
      past: [],
      future: [],
      layoutRequest: 0,
      codeBuffer: undefined,
      clipboard: [],
      lastEdit: undefined,
      moveStart: undefined,
      routes: {},

      addStage(type, options = {}) {
        const { draft, positions } = get();
        const stage = insertStage(draft.stages, type, options.after ? [options.after] : []);
        const stages = [...draft.stages, stage];
        const placed = { ...positions, [stage.refId]: options.at ?? placeAfter(options.after) };
        const onEdge = options.at ? spliced(stages, placed, stage.refId) : undefined;
        commit({ draft: { ...draft, stages: onEdge?.stages ?? stages }, positions: onEdge?.positions ?? placed }, undefined, {
          selected: [stage.refId],
          selectedEdge: undefined,
        });
        return stage.refId;
      },
      insertOnEdge(edge, type) {
        const { draft, positions } = get();
        const { stages, stage } = stageOnEdge(draft.stages, edge, type);
        const room = roomOnEdge(positions, edge.source, edge.target);
        commit({ draft: { ...draft, stages }, positions: { ...positions, ...room.moved, [stage.refId]: room.at } }, undefined, {
          selected: [stage.refId],
          selectedEdge: undefined,
        });
        return stage.refId;
      },
      removeStages(refIds, edges = []) {
        if (refIds.length === 0 && edges.length === 0) return;
        const { draft, positions, selected } = get();
        const gone = new Set(refIds);
        const cut = new Set(edges.map((e) => `${e.source}->${e.target}`));
        const rest = Object.fromEntries(Object.entries(positions).filter(([k]) => !gone.has(k)));
        const stages = removeStageRefs(draft.stages, gone).map((s) => {
          const kept = s.requisiteStageRefIds.filter((r) => !cut.has(`${r}->${s.refId}`));
          return kept.length === s.requisiteStageRefIds.length ? s : { ...s, requisiteStageRefIds: kept };
        });
        commit({ draft: { ...draft, stages }, positions: rest }, undefined, {
          selected: selected.filter((r) => !gone.has(r)),
          selectedEdge: undefined,
        });
      },
      connect({ source, target }) {
        const { draft } = get();
        const to = draft.stages.find((s) => s.refId === target);
        if (!to || source === target || to.requisiteStageRefIds.includes(source)) return;
        const stages = draft.stages.map((s) => (s === to ? { ...s, requisiteStageRefIds: [...s.requisiteStageRefIds, source] } : s));
        commit({ draft: { ...draft, stages } });
      },
      removeEdges(edges) {
        if (edges.length === 0) return;
        const { draft } = get();
        const drop = new Set(edges.map((e) => `${e.source}->${e.target}`));
        const stages = draft.stages.map((s) => {
          const kept = s.requisiteStageRefIds.filter((r) => !drop.has(`${r}->${s.refId}`));
          return kept.length === s.requisiteStageRefIds.length ? s : { ...s, requisiteStageRefIds: kept };
        });
        commit({ draft: { ...draft, stages } }, undefined, { selectedEdge: undefined });
      },
      updateStage(refId, patch, field) {
        const { draft } = get();
        const stages = draft.stages.map((s) => (s.refId === refId ? { ...s, ...patch } : s));
        commit({ draft: { ...draft, stages } }, field ? `stage:${refId}:${field}` : undefined);
      },
      updateSettings(patch, field) {
        commit({ draft: { ...get().draft, ...patch } }, field ? `settings:${field}` : undefined);
      },
      replaceDraft(next, options = {}) {
        const { positions } = get();
        const known = next.stages.every((s) => positions[s.refId]);
        commit({ draft: next }, options.key, {
          codeBuffer: options.codeBuffer,
          ...(known ? {} : { layoutRequest: get().layoutRequest + 1 }),
        });
      },
      select(refIds) {
        // A click on an edge deselects the stages after selecting the edge: an empty selection keeps the edge.
        set({ selected: refIds, ...(refIds.length > 0 ? { selectedEdge: undefined } : {}) });
      },
      selectEdge(edge) {
        set({ selectedEdge: edge, selected: [] });
      },
      beginMove() {
        set({ moveStart: get().positions });
      },
      setPositions(positions, options = {}) {
        if (options.record) commit({ positions: { ...get().positions, ...positions } });
        else set({ positions: { ...get().positions, ...positions } });
      },
      setLayout(positions, routes) {
        set({ positions: { ...get().positions, ...positions }, routes });
      },
      endMove() {
        const { moveStart, positions, past, draft } = get();
        if (!moveStart || moveStart === positions) return set({ moveStart: undefined });
        const movedIds = Object.keys(positions).filter((id) => positions[id] !== moveStart[id]);
        const onEdge = movedIds.length === 1 ? spliced(draft.stages, positions, movedIds[0]!) : undefined;
        set({
          moveStart: undefined,
          past: [...past, { draft, positions: moveStart }].slice(-HISTORY_LIMIT),
          future: [],
          lastEdit: undefined,
          ...(onEdge ? { draft: { ...draft, stages: onEdge.stages }, positions: onEdge.positions, codeBuffer: undefined } : {}),
        });
      },
      copySelection() {
        const { draft, selected } = get();
        const chosen = new Set(selected);
        set({ clipboard: draft.stages.filter((s) => chosen.has(s.refId)) });
      },
      paste() {
        const { clipboard, draft, positions } = get();
        if (clipboard.length === 0) return;
        const { stages, idMap } = pasteStages(draft.stages, clipboard);
        const moved: Record<string, XY> = {};
        for (const [from, to] of idMap) {
          const p = positions[from];
          const all = { ...positions, ...moved };
          moved[to] = p ? freeSpot(all, { x: p.x + 40, y: p.y + 120 }) : placeAfter(undefined, all);
        }
        commit({ draft: { ...draft, stages: [...draft.stages, ...stages] }, positions: { ...positions, ...moved } }, undefined, {
          selected: [...idMap.values()],
        });
      },
      undo() {
        const { past, future, draft, positions } = get();
        const prev = past.at(-1);
        if (!prev) return;
        set({ ...prev, past: past.slice(0, -1), future: [...future, { draft, positions }], lastEdit: undefined, codeBuffer: undefined });
      },
      redo() {
        const { past, future, draft, positions } = get();
        const next = future.at(-1);
        if (!next) return;
        set({ ...next, future: future.slice(0, -1), past: [...past, { draft, positions }], lastEdit: undefined, codeBuffer: undefined });
      },
      markSaved(sent, revision, stored = sent) {
        const untouched = get().draft === sent;
        set({ saved: untouched ? stored : sent, revision, lastEdit: undefined, ...(untouched ? { draft: stored } : {}) });
      },
      loadStored(stored, revision) {
        commit({ draft: stored }, undefined, { saved: stored, revision, selected: [], layoutRequest: get().layoutRequest + 1 });
      },
      setCodeBuffer(codeBuffer) {
        set({ codeBuffer });
      },
      requestLayout() {
        set({ layoutRequest: get().layoutRequest + 1 });
      },
    };
  });
}

/** A name for a new stage of `type` that no other stage has (expressions find stages by name). */
export function defaultStageName(stages: readonly StageConfig[], type: string): string {
  return uniqueName(stages, isStageType(type) ? stageDefinitions[type].label : type);
}
