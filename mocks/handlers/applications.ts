import { createApplication, deleteApplication, getApplication, listApplications, updateApplication } from '../../src/shared/api/applications';
import { blockersOf } from '../../src/shared/domain/application-blockers';
import { Application, type ApplicationSummary } from '../../src/shared/domain/application';
import { db } from '../db';
import { conflict, handleEndpoint, notFound } from '../handle-endpoint';

/** The counts the BFF adds; a cluster lives in one account, so the same name in two accounts is two clusters. */
function summarize(application: Application): ApplicationSummary {
  const groups = db.serverGroups.filter((sg) => sg.application === application.name);
  return {
    ...application,
    clusterCount: new Set(groups.map((sg) => `${sg.account}/${sg.cluster}`)).size,
    serverGroupCount: groups.length,
    instanceCount: groups.reduce((n, sg) => n + sg.instances.length, 0),
    accounts: [...new Set(groups.map((sg) => sg.account))].sort(),
  };
}

export const applicationHandlers = {
  listApplications: handleEndpoint(listApplications, ({ query }) => {
    const q = query.q?.trim().toLowerCase();
    return db.applications
      .filter((a) => !query.project || a.project === query.project)
      .filter((a) => !q || a.name.includes(q) || a.description.toLowerCase().includes(q))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(summarize);
  }),

  getApplication: handleEndpoint(getApplication, ({ params }) => {
    const application = db.applications.find((a) => a.name === params.application);
    if (!application) throw notFound(`Application '${params.application}' does not exist.`, 'application');
    return summarize(application);
  }),

  createApplication: handleEndpoint(createApplication, ({ body }) => {
    const project = db.projects.find((p) => p.name === body.project);
    if (!project) throw notFound(`Project '${body.project}' does not exist.`, 'project');
    if (db.applications.some((a) => a.name === body.name)) {
      throw conflict(`Application '${body.name}' already exists.`, 'name');
    }
    const application = Application.parse({ ...body, demo: false, createdAt: new Date().toISOString() });
    db.applications.push(application);
    project.applications.push(application.name);
    return application;
  }),

  updateApplication: handleEndpoint(updateApplication, ({ params, body }) => {
    const application = db.applications.find((a) => a.name === params.application);
    if (!application) throw notFound(`Application '${params.application}' does not exist.`, 'application');
    const next = { ...application, ...body };
    db.applications = db.applications.map((a) => (a === application ? next : a));
    return next;
  }),

  deleteApplication: handleEndpoint(deleteApplication, ({ params }) => {
    const name = params.application;
    if (!db.applications.some((a) => a.name === name)) throw notFound(`Application '${name}' does not exist.`, 'application');
    const pipelines = [...new Map(db.pipelineRevisions.filter((r) => r.pipeline.application === name).map((r) => [r.pipeline.id, r.pipeline.name])).values()].sort();
    const blockers = blockersOf({
      pipelines,
      serverGroups: db.serverGroups.filter((g) => g.application === name).map((g) => `${g.account}/${g.region}/${g.name}`),
      loadBalancers: db.loadBalancers.filter((l) => l.application === name).map((l) => `${l.account}/${l.region}/${l.name}`),
      executions: db.executions.filter((e) => e.application === name).length,
    });
    if (blockers) throw conflict(`Application '${name}' still has ${blockers}. Delete them first.`, 'application');
    db.applications = db.applications.filter((a) => a.name !== name);
    db.projects = db.projects.map((p) => ({ ...p, applications: p.applications.filter((a) => a !== name) }));
    return { application: name, deleted: true as const };
  }),
};
