import type { StageConfigInput, StageType } from '../../shared/stages/registry';

/** A field of one stage type's config, as a pipeline writes it. */
export type ConfigField<T extends StageType> = keyof StageConfigInput<T> & string;

/** What the editor shows of a stage type: its icon, a one-line summary of a config, form hints. */
export interface StageUi<F extends string = string> {
  /** SVG path data (24×24 viewBox, stroked). */
  icon: string;
  /** Accent for the node's icon tile (Tailwind classes, light and dark). */
  tone: string;
  /** Key config in a few words for the node; the config may be invalid while being edited. */
  summary: (config: Record<string, unknown>) => string;
  /** What the stage does, in words, for the execution page (expressions shown as written). */
  about?: (config: Record<string, unknown>) => string | undefined;
  /** Help text under each config field, by field name. */
  help: Readonly<Partial<Record<F, string>>>;
  /** String fields edited in a multi-line box. */
  multiline?: readonly F[];
}

/** One stage type's UI, tagged with its type so the registry cannot pair it with another type. */
export interface StageUiOf<T extends StageType> extends StageUi<ConfigField<T>> {
  readonly type: T;
}

export function defineStageUi<T extends StageType>(type: T, ui: StageUi<ConfigField<T>>): StageUiOf<T> {
  return { ...ui, type };
}

export const str = (v: unknown, fallback = ''): string => (typeof v === 'string' && v.trim() ? v.trim() : fallback);
export const clip = (s: string, max = 40): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export type StageUiRegistry = { [T in StageType]: StageUiOf<T> };
