import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { openNarrowRoleApp } from '../test-narrow-roles';

let ctx: Awaited<ReturnType<typeof openNarrowRoleApp>>;
beforeAll(async () => {
  ctx = await openNarrowRoleApp({ wes: ['READ', 'WRITE'], rita: ['READ'] });
}, 60_000);
afterAll(() => ctx.close());

describe('managing projects and applications', () => {
  it("lets the application's writers edit its description and owner, not readers; bad input names the field", async () => {
    const ok = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/applications/web',
      headers: { authorization: await bearer('wes') },
      payload: { description: 'The storefront pages', ownerEmail: 'front@example.com' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ name: 'web', description: 'The storefront pages', ownerEmail: 'front@example.com' });
    const bad = await ctx.app.inject({ method: 'PATCH', url: '/api/applications/web', headers: { authorization: await bearer('wes') }, payload: { ownerEmail: 'nobody' } });
    expect(bad.json()).toMatchObject({ error: 'bad_request', field: 'ownerEmail' });
    const reader = await ctx.app.inject({ method: 'PATCH', url: '/api/applications/web', headers: { authorization: await bearer('rita') }, payload: { description: 'mine now' } });
    expect(reader.statusCode).toBe(403);
    const other = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/applications/billing',
      headers: { authorization: await bearer('wes') },
      payload: { description: 'mine now' },
    });
    expect(other.statusCode).toBe(403);
    expect((await ctx.repos.applications.get('billing'))!.description).toBe('Invoices');
  });

  it('refuses to delete an application while it has pipelines or server groups, naming them; deletes an empty one', async () => {
    await ctx.repos.pipelines.create(PipelineDraft.parse({ application: 'web', name: 'Ship web', stages: [] }), 'ana');
    const refused = await ctx.app.inject({ method: 'DELETE', headers: { authorization: await bearer('ana') }, url: '/api/applications/web' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'conflict', field: 'application' });
    expect(refused.json().message).toBe(
      "Application 'web' still has pipeline Ship web; server groups prod/east/web-prod-v001, prod/east/web-prod-v002, prod/west/web-prod-v002, staging/east/web-staging-canary-eu-v007; load balancer prod/east/web-prod-frontend. Delete them first.",
    );
    await ctx.app.inject({
      method: 'POST',
      headers: { authorization: await bearer('ana') },
      url: '/api/applications',
      payload: { name: 'scratch', project: 'shop', ownerEmail: 's@example.com' },
    });
    // Only admins delete, as only they create: a writer of every application still may not.
    expect((await ctx.app.inject({ method: 'DELETE', url: '/api/applications/scratch', headers: { authorization: await bearer('wes') } })).statusCode).toBe(403);
    const gone = await ctx.app.inject({ method: 'DELETE', headers: { authorization: await bearer('ana') }, url: '/api/applications/scratch' });
    expect(gone.json()).toEqual({ application: 'scratch', deleted: true });
    expect((await ctx.app.inject({ method: 'GET', headers: { authorization: await bearer('ana') }, url: '/api/applications/scratch' })).statusCode).toBe(404);
  });

  it('edits a project and deletes it only once it is empty, naming its applications otherwise', async () => {
    const renamed = await ctx.app.inject({ method: 'PATCH', headers: { authorization: await bearer('ana') }, url: '/api/projects/shop', payload: { displayName: 'The Shop' } });
    expect(renamed.json()).toMatchObject({ name: 'shop', displayName: 'The Shop' });
    expect((await ctx.app.inject({ method: 'PATCH', url: '/api/projects/shop', headers: { authorization: await bearer('wes') }, payload: { displayName: 'x' } })).statusCode).toBe(
      403,
    );
    const refused = await ctx.app.inject({ method: 'DELETE', headers: { authorization: await bearer('ana') }, url: '/api/projects/shop' });
    expect(refused.json()).toMatchObject({ error: 'conflict', field: 'project', message: "Project 'shop' still has applications: billing, web. Delete or move them first." });
    await ctx.app.inject({
      method: 'POST',
      headers: { authorization: await bearer('ana') },
      url: '/api/projects',
      payload: { name: 'tmp', displayName: 'Tmp', ownerEmail: 't@example.com' },
    });
    expect((await ctx.app.inject({ method: 'DELETE', headers: { authorization: await bearer('ana') }, url: '/api/projects/tmp' })).json()).toEqual({
      project: 'tmp',
      deleted: true,
    });
    expect((await ctx.app.inject({ method: 'DELETE', headers: { authorization: await bearer('ana') }, url: '/api/projects/tmp' })).statusCode).toBe(404);
  });
});

const tokens = new Map<string, string>();
async function bearer(who: string): Promise<string> {
  if (!tokens.has(who)) {
    const { createToken } = await import('../auth/sessions');
    tokens.set(who, `Bearer ${(await createToken(ctx.repos, who, 'manage-test', new Date())).secret}`);
  }
  return tokens.get(who)!;
}
