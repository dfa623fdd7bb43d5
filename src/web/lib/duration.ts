/** "1m 05s", "2h 03m", "850 ms": short enough for a DAG node. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** From start to end, or to now while it runs; undefined before it started. */
export function elapsed(startedAt: string | undefined, endedAt: string | undefined, now = Date.now()): number | undefined {
  if (!startedAt) return undefined;
  return (endedAt ? Date.parse(endedAt) : now) - Date.parse(startedAt);
}
