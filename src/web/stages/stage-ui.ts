import type { StageType } from '../../shared/stages/registry';

/** What the editor shows of a stage type: its icon, a one-line summary of a config, form hints. */
export interface StageUi {
  /** SVG path data (24×24 viewBox, stroked). */
  icon: string;
  /** Accent for the node's icon tile (Tailwind classes, light and dark). */
  tone: string;
  /** Key config in a few words for the node; the config may be invalid while being edited. */
  summary: (config: Record<string, unknown>) => string;
  /** Help text under each config field, by field name. */
  help: Readonly<Record<string, string>>;
  /** String fields edited in a multi-line box. */
  multiline?: readonly string[];
}

export function defineStageUi(ui: StageUi): StageUi {
  return ui;
}

export const str = (v: unknown, fallback = ''): string => (typeof v === 'string' && v.trim() ? v.trim() : fallback);
export const clip = (s: string, max = 40): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export type StageUiRegistry = Record<StageType, StageUi>;
