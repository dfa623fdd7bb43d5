import { useState, type KeyboardEvent } from 'react';
import { STAGE_TYPES, stageDefinitions, type StageType } from '../../../../shared/stages/registry';
import { stageUis } from '../../../stages/registry';
import { STAGE_DRAG_TYPE } from './pipeline-canvas';

interface PaletteProps {
  /** Where a chosen stage goes, said to the user: "after Build", "between A and B". */
  target: string;
  onAdd: (type: StageType) => void;
}

/** Every stage type, searchable; drag one onto the canvas, or press Enter on it to add it where `target` says. */
export function StagePalette({ target, onAdd }: PaletteProps) {
  const [q, setQ] = useState('');
  const needle = q.trim().toLowerCase();
  const shown = STAGE_TYPES.filter((t) => {
    const d = stageDefinitions[t];
    if (d.notInPalette) return false;
    return !needle || `${t} ${d.label} ${d.description}`.toLowerCase().includes(needle);
  });
  const onSearchKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && shown[0]) onAdd(shown[0]);
  };
  return (
    <section aria-label="Stage palette" className="flex min-h-0 flex-col gap-2">
      <input
        type="search"
        aria-label="Search stage types"
        placeholder="Search stages…"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={onSearchKey}
        className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      />
      <p className="text-xs text-zinc-500 dark:text-zinc-400">Drag onto the canvas, or click to add {target}.</p>
      <ul className="flex min-h-0 flex-col gap-1 overflow-y-auto">
        {shown.map((type) => {
          const ui = stageUis[type];
          const def = stageDefinitions[type];
          return (
            <li key={type}>
              <button
                type="button"
                draggable
                onDragStart={(e) => {
                  e.dataTransfer.setData(STAGE_DRAG_TYPE, type);
                  e.dataTransfer.effectAllowed = 'copy';
                }}
                onClick={() => onAdd(type)}
                title={def.description}
                className="flex w-full cursor-grab items-center gap-2 rounded-md border border-zinc-200 bg-white px-2 py-1.5 text-left text-sm hover:border-orange-400 focus-visible:outline-2 focus-visible:outline-orange-500 dark:border-zinc-800 dark:bg-zinc-900"
              >
                <span className={`flex h-7 w-7 shrink-0 items-center justify-center rounded ${ui.tone}`} aria-hidden>
                  <svg viewBox="0 0 24 24" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round">
                    <path d={ui.icon} />
                  </svg>
                </span>
                {/* Named by its text ("Add Wait Pauses…"): a shorter aria-label would not match what voice-control users read. */}
                <span className="flex min-w-0 flex-col">
                  <span className="font-medium">
                    <span className="sr-only">Add</span> {def.label}
                  </span>
                  <span className="truncate text-xs text-zinc-500 dark:text-zinc-400">{def.description}</span>
                </span>
              </button>
            </li>
          );
        })}
        {shown.length === 0 && <li className="text-sm text-zinc-500">No stage type matches “{q}”.</li>}
      </ul>
    </section>
  );
}
