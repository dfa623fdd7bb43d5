import { beforeAll } from 'vitest';

/**
 * React Flow measures its container; jsdom has no layout engine, so the tests of a file that calls
 * this get the two APIs it asks for.
 */
export function useReactFlowEnvironment(): void {
  beforeAll(() => {
    globalThis.ResizeObserver ??= class {
      observe() {}
      unobserve() {}
      disconnect() {}
    } as unknown as typeof ResizeObserver;
    globalThis.DOMMatrixReadOnly ??= class {
      m22 = 1;
      constructor() {}
    } as unknown as typeof DOMMatrixReadOnly;
  });
}
