import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render-app';

describe('projects', () => {
  it('sends / to the projects list, which marks the demo', async () => {
    const { router } = renderApp('/');
    const list = await screen.findByRole('list', { name: 'Projects' });
    expect(router.state.location.pathname).toBe('/projects');
    const shop = within(list).getByRole('link', { name: /Online Shop/ });
    expect(shop.getAttribute('href')).toBe('/projects/shop');
    expect(within(shop).getByText('Demo', { exact: true })).toBeTruthy();
    expect(within(within(list).getByRole('link', { name: /Platform/ })).queryByText('Demo', { exact: true })).toBeNull();
  });

  it('shows a demo project with a banner and the newest server group of each cluster', async () => {
    const { user, router } = renderApp('/projects/shop');
    expect(await screen.findByRole('heading', { level: 1, name: 'Online Shop' })).toBeTruthy();
    expect(screen.getByRole('note', { name: 'Demo' }).textContent).toContain('on first start');
    expect(within(screen.getByRole('navigation', { name: 'Breadcrumb' })).getByRole('link', { name: 'Projects' })).toBeTruthy();

    const web = screen.getByRole('list', { name: 'Clusters of web' });
    // Each card is named by what it shows: the cluster, where it runs, and its newest group.
    const cards = within(web).getAllByRole('link');
    expect(cards).toHaveLength(4);
    for (const [cluster, place, newest] of [
      ['web-prod', 'prod · eu-west-1', 'v003'],
      ['web-prod', 'prod · us-east-1', 'v003'],
      ['web-staging', 'staging · us-east-1', 'v003'],
      ['web-staging-canary', 'staging · us-east-1', 'v001'],
    ]) {
      expect(within(web).getByRole('link', { name: new RegExp(`^${cluster} in.*${place} newest ${newest}`) })).toBeTruthy();
    }
    await user.click(within(web).getByRole('link', { name: /^web-prod in.*us-east-1 newest v003/ }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/applications/web/clusters'));
    expect(await screen.findByRole('complementary', { name: 'web-prod-v003' })).toBeTruthy();
  });

  it('says when a project does not exist', async () => {
    renderApp('/projects/atlantis');
    expect(await screen.findByRole('heading', { level: 1, name: "Project 'atlantis' does not exist" })).toBeTruthy();
  });

  it('shows a page-not-found for unknown addresses', async () => {
    renderApp('/nowhere');
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeTruthy();
  });
});

describe('application index', () => {
  it('opens an application on its clusters tab', async () => {
    const { router } = renderApp('/applications/web');
    expect(await screen.findByRole('link', { name: 'Clusters', current: 'page' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/applications/web/clusters');
  });
});
