import { afterEach, beforeEach } from 'vitest';

/**
 * jsdom lays nothing out: every box is 0×0, so a virtualized list would draw no rows. Gives
 * elements a plausible size (clientWidth/clientHeight, what react-virtual reads) for the tests
 * of the file that calls it.
 */
export function useFakeLayout(width = 1000, height = 480): void {
  beforeEach(() => {
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => width });
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => height });
  });
  afterEach(() => {
    // Removing the own properties uncovers jsdom's (on Element.prototype) again.
    delete (HTMLElement.prototype as unknown as Record<string, unknown>).clientWidth;
    delete (HTMLElement.prototype as unknown as Record<string, unknown>).clientHeight;
  });
}
