import { setupServer } from 'msw/node';
import { handlers } from './handlers';

/** For Vitest: component tests and the fixture test talk to the same handlers as the browser. */
export const server = setupServer(...handlers);
