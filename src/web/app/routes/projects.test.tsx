import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { DEMO_APPLICATION, DEMO_BALANCERS, DEMO_PIPELINE, DEMO_PROJECT } from '../../../shared/domain/demo';
import { Application } from '../../../shared/domain/application';
import { LoadBalancer } from '../../../shared/domain/load-balancer';
import { Pipeline } from '../../../shared/domain/pipeline';
import { Project } from '../../../shared/domain/project';
import { renderApp } from '../../test/render-app';

const DEMO_PIPELINE_ID = '5d1f6a7e-0c1b-4d53-9a52-6f1e0b7c2d11';

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

  it('guides a newcomer through the demo: the pipeline to run and where its traffic goes', async () => {
    // The demo as Kiln seeds it: its project, storefront with its pipeline and its production balancer.
    db.projects.push(Project.parse({ ...db.projects[0], name: DEMO_PROJECT, displayName: 'Demo', applications: [DEMO_APPLICATION] }));
    db.applications.push(Application.parse({ ...db.applications[0], name: DEMO_APPLICATION, project: DEMO_PROJECT }));
    const revision = db.pipelineRevisions[0]!;
    db.pipelineRevisions.push({ ...revision, pipeline: Pipeline.parse({ ...revision.pipeline, id: DEMO_PIPELINE_ID, application: DEMO_APPLICATION, name: DEMO_PIPELINE }) });
    db.loadBalancers.push(
      LoadBalancer.parse({ ...db.loadBalancers[0], name: DEMO_BALANCERS.prod, application: DEMO_APPLICATION, targets: [{ serverGroup: 'storefront-prod-v001', weight: 100 }] }),
    );
    renderApp('/projects');
    const guide = await screen.findByRole('region', { name: 'Try it: ship the demo storefront to production' });
    // Its parts that wait for data load with it: the link goes straight to the pipeline once known.
    const link = await within(guide).findByRole('link', { name: DEMO_PIPELINE });
    expect(link.getAttribute('href')).toBe(`/applications/${DEMO_APPLICATION}/pipelines/${DEMO_PIPELINE_ID}/edit`);
    expect(await within(guide).findByText(/storefront-prod-v001 100%/)).toBeTruthy();
    expect(within(guide).getByText(/Staging: not deployed yet/)).toBeTruthy();
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
