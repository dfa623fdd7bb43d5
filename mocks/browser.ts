import { setupWorker } from 'msw/browser';
import { handlers } from './handlers';

/** `VITE_MSW=1 npm run dev`: the dashboard on mock data, no BFF needed. */
export const worker = setupWorker(...handlers);
