import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { resetDb } from '../../../mocks/db';
import { resetImages } from '../../../mocks/handlers/images';
import { resetRecipes } from '../../../mocks/handlers/recipes';
import { resetServerGroupState } from '../../../mocks/handlers/server-groups';
import { resetStageCache } from '../../../mocks/handlers/stage-cache';
import { server } from '../../../mocks/node';
import { FakeEventSource } from './fake-event-source';

// jsdom has no matchMedia; the theme code asks it for prefers-color-scheme. "light" unless a test says otherwise.
if (typeof window.matchMedia !== 'function') {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      addListener: () => undefined,
      removeListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

// The first render of a file imports its lazy route; on a busy machine that alone can take a second.
configure({ asyncUtilTimeout: 3000 });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
// Every page has the navigation bar's live approvals count, so every render opens the live stream.
beforeEach(() => FakeEventSource.install());
afterEach(() => {
  cleanup();
  server.resetHandlers();
  resetDb();
  // The handlers' own state too: the web project runs its files in shared workers (isolate: false).
  resetImages();
  resetRecipes();
  resetServerGroupState();
  resetStageCache();
  localStorage.clear();
  document.documentElement.className = '';
});
afterAll(() => server.close());
