import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { SHOP_WEB_RECIPE } from '../../../../mocks/handlers/recipes';
import { server } from '../../../../mocks/node';
import { renderApp } from '../../test/render-app';

const me = db.auth.me!;
afterEach(() => {
  db.auth.me = me;
});
const person = (grants: NonNullable<typeof db.auth.me>['grants']) => ({ ...me, user: { ...me.user, name: 'bo', admin: false }, grants });
const RECIPE_PAGE = `/images/recipes/${SHOP_WEB_RECIPE}`;

describe('Bake now on the recipe page', () => {
  it('bakes as a run of the chosen application, opens its log, and links the version it made', async () => {
    const { user, router } = renderApp(RECIPE_PAGE);
    const button = await screen.findByRole('button', { name: 'Bake now' }, { timeout: 10_000 });
    await user.selectOptions(await screen.findByLabelText('Application the bake runs for'), 'checkout');
    await user.click(button);
    await waitFor(() => expect(router.state.location.pathname).toMatch(/^\/applications\/checkout\/executions\/[0-9a-f-]{36}$/));
    expect(router.state.location.search).toBe('?stage=bake');
    const baked = await screen.findByRole('link', { name: 'shop-web:v3' }, { timeout: 10_000 });
    expect(baked.getAttribute('href')).toBe('/images/shop-web');
    expect(screen.getByRole('region', { name: 'Stage Bake shop-web' })).toBeTruthy();
  });

  it('is disabled, saying why, for someone who may only read; offers only the applications one may run', async () => {
    db.auth.me = person([{ resourceType: 'application', resource: '*', permission: 'READ' }]);
    const first = renderApp(RECIPE_PAGE);
    const button = await screen.findByRole('button', { name: 'Bake now' }, { timeout: 10_000 });
    await screen.findByText(/^Baking needs EXECUTE permission on an application/);
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(button.getAttribute('title')).toMatch(/^Baking needs EXECUTE permission/);
    first.unmount();

    db.auth.me = person([
      { resourceType: 'application', resource: '*', permission: 'READ' },
      { resourceType: 'application', resource: 'web', permission: 'EXECUTE' },
    ]);
    renderApp(RECIPE_PAGE);
    expect(await screen.findByText('as a run of web', {}, { timeout: 10_000 })).toBeTruthy();
    expect(screen.queryByLabelText('Application the bake runs for')).toBeNull();
    await waitFor(() => expect((screen.getByRole('button', { name: 'Bake now' }) as HTMLButtonElement).disabled).toBe(false));
  });

  it('shows the refusal when a bake of the recipe already runs, and stays on the page', async () => {
    server.use(
      http.post(
        '*/api/applications/:application/recipes/:recipe/bakes',
        () => HttpResponse.json({ error: 'conflict', message: "Recipe 'shop-web' is already being baked: bake 1b2c.", field: 'recipe' }, { status: 409 }),
        { once: true },
      ),
    );
    const { user, router } = renderApp(RECIPE_PAGE);
    await user.click(await screen.findByRole('button', { name: 'Bake now' }, { timeout: 10_000 }));
    const alert = await screen.findByRole('alert');
    expect(within(alert.parentElement!).getByText("recipe: Recipe 'shop-web' is already being baked: bake 1b2c.")).toBeTruthy();
    expect(router.state.location.pathname).toBe(RECIPE_PAGE);
  });
});

describe('Bake again on an on-demand bake', () => {
  it('replaces Re-run (its pipeline only anchors bakes), bakes the recipe again for the same application and opens the new run', async () => {
    const { user, router } = renderApp(RECIPE_PAGE);
    await user.selectOptions(await screen.findByLabelText('Application the bake runs for', {}, { timeout: 10_000 }), 'checkout');
    await user.click(await screen.findByRole('button', { name: 'Bake now' }));
    await waitFor(() => expect(router.state.location.pathname).toMatch(/^\/applications\/checkout\/executions\//));
    const first = router.state.location.pathname;
    const again = await screen.findByRole('button', { name: 'Bake again' }, { timeout: 10_000 });
    expect(screen.queryByRole('button', { name: 'Re-run…' })).toBeNull();
    await user.click(again);
    await waitFor(() => expect(router.state.location.pathname).not.toBe(first));
    expect(router.state.location.pathname).toMatch(/^\/applications\/checkout\/executions\/[0-9a-f-]{36}$/);
  });

  it('is disabled for someone who may only read the application', async () => {
    const { user, router, unmount } = renderApp(RECIPE_PAGE);
    await user.selectOptions(await screen.findByLabelText('Application the bake runs for', {}, { timeout: 10_000 }), 'checkout');
    await user.click(await screen.findByRole('button', { name: 'Bake now' }));
    await waitFor(() => expect(router.state.location.pathname).toMatch(/^\/applications\/checkout\/executions\//));
    const page = router.state.location.pathname;
    unmount();
    db.auth.me = person([{ resourceType: 'application', resource: '*', permission: 'READ' }]);
    renderApp(page);
    await waitFor(
      () => {
        const button = screen.getByRole('button', { name: 'Bake again' });
        expect((button as HTMLButtonElement).disabled).toBe(true);
        expect(button.getAttribute('title')).toBe('Baking needs EXECUTE permission on checkout');
      },
      { timeout: 10_000 },
    );
  });
});
