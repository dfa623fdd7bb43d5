import { afterEach, describe, expect, it } from 'vitest';
import { takePageStartWorker } from './page-start';

const page = globalThis as { __kilnPageStartWorkers?: Record<string, Worker | undefined> };

describe('page-start worker', () => {
  afterEach(() => {
    delete page.__kilnPageStartWorkers;
  });

  it('hands the worker index.html started to the first that asks for it, and to no one after', () => {
    const started = { postMessage: () => undefined } as unknown as Worker;
    page.__kilnPageStartWorkers = { 'layered-layout.worker': started };
    expect(takePageStartWorker('elk.worker')).toBeUndefined();
    expect(takePageStartWorker('layered-layout.worker')).toBe(started);
    // Once: layout.ts keeps the worker it took for every later layout.
    expect(takePageStartWorker('layered-layout.worker')).toBeUndefined();
  });

  it('has none on a page that started none', () => {
    expect(takePageStartWorker('layered-layout.worker')).toBeUndefined();
  });
});
