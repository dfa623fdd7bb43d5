import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { AppProviders } from './app/providers';
import { createAppRouter } from './app/router';
import { createQueryClient } from './lib/query-client';
import './index.css';

/** Mock data only in development and only when asked: `import.meta.env.DEV` is false in builds, so MSW is never bundled. */
async function startMocks(): Promise<void> {
  if (import.meta.env.DEV && import.meta.env.VITE_MSW === '1') {
    const { worker } = await import('../../mocks/browser');
    await worker.start({ onUnhandledRequest: 'bypass', quiet: true });
  }
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

void startMocks()
  // Without the mock worker the dashboard still renders against the proxied BFF, which says what is wrong.
  .catch((error: unknown) => console.error('Kiln: mock service worker failed to start', error))
  .then(() => {
    createRoot(root).render(
      <StrictMode>
        <AppProviders queryClient={createQueryClient()}>
          <RouterProvider router={createAppRouter()} />
        </AppProviders>
      </StrictMode>,
    );
  });
