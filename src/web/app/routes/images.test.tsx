import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { server } from '../../../../mocks/node';
import { renderApp } from '../../test/render-app';
import { SHOP_WEB_RECIPE } from '../../../../mocks/handlers/recipes';

describe('images pages', () => {
  it('lists images with their newest version and channels, and recipes', async () => {
    renderApp('/images');
    const table = await screen.findByRole('table', { name: 'Images' });
    const row = within(table).getByRole('row', { name: /^shop-web/ });
    expect(within(row).getByText('v3')).toBeTruthy();
    expect(within(row).getByText('production→v2')).toBeTruthy();
    expect(
      within(await screen.findByRole('table', { name: 'Recipes' }))
        .getByRole('link', { name: 'shop-web' })
        .getAttribute('href'),
    ).toBe(`/images/recipes/${SHOP_WEB_RECIPE}`);
  });

  it('says an unknown image is not in the registry, and opens `name:version` as the image', async () => {
    renderApp('/images/nope');
    expect(await screen.findByRole('heading', { name: "No image named 'nope'" })).toBeTruthy();
    expect(screen.queryByText('The server refused this request')).toBeNull();
    const { router } = renderApp('/images/shop-web:v2');
    await waitFor(() => expect(router.state.location.pathname).toBe('/images/shop-web'));
  });

  it('shows a server error on the image page with a Retry that loads the image', async () => {
    server.use(http.get('*/api/images/:name', () => HttpResponse.json({ error: 'internal', message: 'Registry unavailable.' }, { status: 500 }), { once: true }));
    const { user } = renderApp('/images/shop-web');
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Registry unavailable.')).toBeTruthy();
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('table', { name: 'Versions of shop-web' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows a version revoked through its parent, and revokes another only with a reason', async () => {
    const { user } = renderApp('/images/shop-web');
    const versions = await screen.findByRole('table', { name: 'Versions of shop-web' });
    const v1 = within(versions).getByRole('row', { name: /^v1/ });
    expect(within(v1).getByText('revoked via parent')).toBeTruthy();
    expect(within(v1).getByRole('link', { name: 'node-base:v1' })).toBeTruthy();

    await user.click(within(versions).getByRole('button', { name: 'Revoke v3' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke shop-web:v3?' });
    const confirm = within(dialog).getByRole('button', { name: 'Revoke' });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    await user.type(within(dialog).getByLabelText(/Reason/), 'memory leak under load');
    await user.click(confirm);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const v3 = within(await screen.findByRole('table', { name: 'Versions of shop-web' })).getByRole('row', { name: /^v3/ });
    await waitFor(() => expect(within(v3).getByText('memory leak under load')).toBeTruthy());
  });

  it('schedules a revocation for a later time', async () => {
    const { user } = renderApp('/images/shop-web');
    const versions = await screen.findByRole('table', { name: 'Versions of shop-web' });
    await user.click(within(versions).getByRole('button', { name: 'Revoke v2' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke shop-web:v2?' });
    await user.type(within(dialog).getByLabelText(/Reason/), 'end of support');
    await user.click(within(dialog).getByLabelText('At a later time'));
    const schedule = within(dialog).getByRole('button', { name: 'Schedule revocation' }) as HTMLButtonElement;
    expect(schedule.disabled).toBe(true);
    fireEvent.change(within(dialog).getByLabelText('Revoke at'), { target: { value: '2099-01-01T10:00' } });
    await user.click(schedule);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const v2 = within(await screen.findByRole('table', { name: 'Versions of shop-web' })).getByRole('row', { name: /^v2/ });
    await waitFor(() => expect(within(v2).getByText('revocation scheduled')).toBeTruthy());
  });

  it('shows where a version was pushed, and deletes a version only once its name is typed', async () => {
    const { user } = renderApp('/images/shop-web');
    const pushes = await screen.findByRole('table', { name: 'Where shop-web was pushed' });
    const pushed = within(pushes).getByRole('row', { name: /^v3/ });
    expect(within(pushed).getByText('registry.example.com/shop/shop-web')).toBeTruthy();
    expect(within(pushed).getByText('registry.example.com/shop')).toBeTruthy();

    const versions = screen.getByRole('table', { name: 'Versions of shop-web' });
    const v3 = within(versions).getByRole('button', { name: 'Delete v3' }) as HTMLButtonElement;
    expect(v3.disabled).toBe(true);
    expect(v3.title).toBe('Cannot delete v3: channel latest points at it.');

    await user.click(within(versions).getByRole('button', { name: 'Delete v1' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete shop-web:v1?' });
    const confirm = within(dialog).getByRole('button', { name: 'Delete version' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await user.type(within(dialog).getByRole('textbox'), 'shop-web:v1');
    expect(confirm.disabled).toBe(false);
    await user.click(confirm);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Versions of shop-web' })).queryByRole('row', { name: /^v1/ })).toBeNull());
  });

  it('edits a recipe as YAML and refuses a path that leaves the image root before sending it', async () => {
    const { user } = renderApp(`/images/recipes/${SHOP_WEB_RECIPE}`);
    expect(((await screen.findByLabelText('Name')) as HTMLInputElement).value).toBe('shop-web');
    await user.click(screen.getByRole('tab', { name: 'YAML' }));
    const yaml = screen.getByLabelText('Recipe YAML') as HTMLTextAreaElement;
    expect(yaml.value).toContain('entrypoint: app/server.mjs');
    await user.clear(yaml);
    await user.click(yaml);
    await user.paste('name: shop-web\nprovisioners:\n  - type: file\n    source: /srv/x\n    destination: ../../etc/passwd\n');
    await user.click(screen.getByRole('button', { name: /^Save revision/ }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/provisioners\.0\.destination: path must not contain '\.\.'/);
  });
});
