import { createBrowserRouter, Navigate, useParams, type RouteObject } from 'react-router';
import { paths } from '../lib/paths';
import { AppShellFallback } from './app-shell-fallback';
import { Layout, type RouteHandle } from './layout';
import { RouteError } from './route-error';
import { NotFoundPage } from './routes/not-found';

/** An application opens on its first tab; a component, not a loader, because it needs the matched param. */
function ApplicationIndexRedirect() {
  const { application = '' } = useParams();
  return <Navigate to={paths.applicationClusters(application)} replace />;
}

const crumb = (crumb: RouteHandle['crumb']): RouteHandle => ({ crumb });

/** Exported so tests render the real route tree in a memory router. Pages load lazily: the first route stays small. */
export const routes: RouteObject[] = [
  // Outside the layout: nobody is signed in on these pages yet.
  { path: '/sign-in', lazy: () => import('./routes/sign-in').then((m) => ({ Component: m.SignInPage })) },
  { path: '/setup', lazy: () => import('./routes/setup').then((m) => ({ Component: m.SetupPage })) },
  {
    path: '/',
    Component: Layout,
    HydrateFallback: AppShellFallback,
    ErrorBoundary: RouteError,
    children: [
      { index: true, element: <Navigate to={paths.projects()} replace /> },
      {
        path: 'projects',
        handle: crumb(() => ({ label: 'Projects', to: paths.projects() })),
        children: [
          { index: true, lazy: () => import('./routes/projects').then((m) => ({ Component: m.ProjectsPage })) },
          {
            path: ':project',
            handle: crumb((p) => ({ label: p.project ?? '', to: paths.project(p.project ?? '') })),
            lazy: () => import('./routes/project-dashboard').then((m) => ({ Component: m.ProjectDashboardPage })),
          },
        ],
      },
      {
        path: 'applications',
        handle: crumb(() => ({ label: 'Applications', to: paths.applications() })),
        children: [
          { index: true, lazy: () => import('./routes/applications').then((m) => ({ Component: m.ApplicationsPage })) },
          {
            path: ':application',
            handle: crumb((p) => ({ label: p.application ?? '', to: paths.application(p.application ?? '') })),
            lazy: () => import('./routes/application-layout').then((m) => ({ Component: m.ApplicationLayout })),
            children: [
              { index: true, Component: ApplicationIndexRedirect },
              {
                path: 'clusters',
                handle: crumb((p) => ({ label: 'Clusters', to: paths.applicationClusters(p.application ?? '') })),
                lazy: () => import('./routes/application-clusters').then((m) => ({ Component: m.ApplicationClustersPage })),
              },
              {
                path: 'pipelines',
                handle: crumb((p) => ({ label: 'Pipelines', to: paths.applicationPipelines(p.application ?? '') })),
                children: [
                  { index: true, lazy: () => import('./routes/application-pipelines').then((m) => ({ Component: m.ApplicationPipelinesPage })) },
                  {
                    path: ':pipelineId/edit',
                    handle: {
                      ...crumb((p) => ({ label: 'Edit', to: paths.pipelineEditor(p.application ?? '', p.pipelineId ?? '') })),
                      // Past the navigation, tabs, toolbar and palette: dozens of Tab presses otherwise.
                      skipTo: { id: 'pipeline-canvas', label: 'Skip to the pipeline canvas', into: '.react-flow__node' },
                    } satisfies RouteHandle,
                    // The loader is its own small chunk: the pipeline's request starts with the editor's code, not after it.
                    loader: (args) => import('../features/pipeline-editor/editor/prefetch-pipeline').then((m) => m.prefetchPipeline(args)),
                    lazy: () => import('./routes/pipeline-editor').then((m) => ({ Component: m.PipelineEditorPage })),
                  },
                ],
              },
              {
                path: 'history',
                handle: crumb((p) => ({ label: 'History', to: paths.applicationHistory(p.application ?? '') })),
                lazy: () => import('./routes/application-history').then((m) => ({ Component: m.ApplicationHistoryPage })),
              },
              {
                path: 'executions',
                handle: crumb((p) => ({ label: 'Executions', to: paths.applicationExecutions(p.application ?? '') })),
                children: [
                  { index: true, lazy: () => import('./routes/application-executions').then((m) => ({ Component: m.ApplicationExecutionsPage })) },
                  {
                    path: ':executionId',
                    handle: crumb((p) => ({ label: (p.executionId ?? '').slice(0, 8), to: paths.execution(p.application ?? '', p.executionId ?? '') })),
                    lazy: () => import('./routes/execution-detail').then((m) => ({ Component: m.ExecutionDetailPage })),
                  },
                ],
              },
            ],
          },
        ],
      },
      {
        path: 'running',
        handle: crumb(() => ({ label: 'Running now', to: paths.runningNow() })),
        lazy: () => import('./routes/running-now').then((m) => ({ Component: m.RunningNowPage })),
      },
      {
        path: 'history',
        handle: crumb(() => ({ label: 'History', to: paths.history() })),
        lazy: () => import('./routes/history').then((m) => ({ Component: m.HistoryPage })),
      },
      {
        path: 'approvals',
        handle: crumb(() => ({ label: 'Approvals', to: paths.approvals() })),
        lazy: () => import('./routes/approvals-inbox').then((m) => ({ Component: m.ApprovalsInboxPage })),
      },
      {
        path: 'account/tokens',
        handle: crumb(() => ({ label: 'API tokens', to: paths.apiTokens() })),
        lazy: () => import('./routes/api-tokens').then((m) => ({ Component: m.ApiTokensPage })),
      },
      {
        path: 'admin/users',
        handle: crumb(() => ({ label: 'Users and roles', to: paths.adminUsers() })),
        lazy: () => import('./routes/admin').then((m) => ({ Component: m.AdminPage })),
      },
      {
        path: 'admin/accounts',
        handle: crumb(() => ({ label: 'Accounts', to: paths.adminAccounts() })),
        lazy: () => import('../features/accounts/accounts-page').then((m) => ({ Component: m.AccountsPage })),
      },
      {
        path: 'admin/ci-servers',
        handle: crumb(() => ({ label: 'CI servers', to: paths.adminCiServers() })),
        lazy: () => import('../features/ci-servers/ci-servers-page').then((m) => ({ Component: m.CiServersPage })),
      },
      {
        path: 'admin/audit',
        handle: crumb(() => ({ label: 'Audit log', to: paths.audit() })),
        lazy: () => import('./routes/audit').then((m) => ({ Component: m.AuditPage })),
      },
      {
        path: 'images',
        handle: crumb(() => ({ label: 'Images', to: paths.images() })),
        children: [
          { index: true, lazy: () => import('./routes/images').then((m) => ({ Component: m.ImagesPage })) },
          {
            path: 'recipes/:recipeId',
            handle: crumb((p) => ({ label: 'Recipe', to: paths.recipe(p.recipeId ?? '') })),
            lazy: () => import('./routes/images-recipe').then((m) => ({ Component: m.RecipePage })),
          },
          {
            path: ':name',
            handle: crumb((p) => ({ label: p.name ?? '', to: paths.image(p.name ?? '') })),
            lazy: () => import('./routes/images-detail').then((m) => ({ Component: m.ImageDetailPage })),
          },
        ],
      },
      { path: '*', Component: NotFoundPage },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
