import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { AppProviders } from '../app/providers';
import { routes } from '../app/router';
import { createQueryClient } from '../lib/query-client';

/** The real route tree at `url`, on the MSW mock API, with a fresh cache and no retries. */
export function renderApp(url: string) {
  const router = createMemoryRouter(routes, { initialEntries: [url] });
  const user = userEvent.setup();
  const view = render(
    <AppProviders queryClient={createQueryClient({ retry: false })}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  /** The current URL's query string as an object, for asserting what the address bar would show. */
  const search = () => Object.fromEntries(new URLSearchParams(router.state.location.search));
  return { ...view, router, user, search };
}
