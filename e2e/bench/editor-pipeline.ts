// What both editor benches build and watch for: the pipeline they open and when its graph was painted.

/** A wide DAG: layers of 8 stages, each waiting for one or two of the layer before (forks and joins). */
export function stages(n: number) {
  const width = 8;
  return Array.from({ length: n }, (_, i) => {
    const layer = Math.floor(i / width);
    const prev = (layer - 1) * width;
    const deps = layer === 0 ? [] : [...new Set([prev + (i % width), prev + ((i * 3 + 1) % width)])].filter((d) => d < n).map(String);
    return { refId: String(i), type: 'wait', name: `Stage ${i}`, requisiteStageRefIds: deps, config: { seconds: 1 } };
  });
}

/**
 * When the laid-out graph was painted: the page notes the first frame after the layout's timing
 * appears (two animation frames after the DOM change), so Playwright's polling is not counted.
 */
export function notePainted() {
  const w = window as unknown as { __kilnPainted?: number };
  const seen = () => {
    if (w.__kilnPainted !== undefined || !document.querySelector('[data-testid="layout-time"]')) return false;
    w.__kilnPainted = -1;
    requestAnimationFrame(() => requestAnimationFrame(() => (w.__kilnPainted = performance.now())));
    return true;
  };
  const watch = new MutationObserver(() => seen() && watch.disconnect());
  document.addEventListener('DOMContentLoaded', () => watch.observe(document.body, { childList: true, subtree: true }));
}
