import { afterEach, describe, expect, it } from 'vitest';
import { prefetchPipeline } from './prefetch-pipeline';

const ID = '0b6c5f43-2d4e-4a43-9d4e-3c1f3e7a9a01';
const w = globalThis as { __kilnEarlyPipeline?: { path: string; response: Promise<Response> } };
const load = (pipelineId: string) => prefetchPipeline({ params: { pipelineId }, request: new Request('http://localhost/'), context: undefined } as never)!.pipeline;

afterEach(() => void delete w.__kilnEarlyPipeline);

describe("the editor's first-visit pipeline request", () => {
  it('takes the answer index.html asked for before the code loaded, once; a later visit asks again', async () => {
    const stored = (await (await fetch(`http://localhost/api/pipelines/${ID}`)).json()) as { name: string };
    w.__kilnEarlyPipeline = { path: `/api/pipelines/${ID}`, response: Promise.resolve(new Response(JSON.stringify({ ...stored, name: 'Asked at page start' }))) };
    expect((await load(ID)).name).toBe('Asked at page start');
    expect(w.__kilnEarlyPipeline).toBeUndefined();
    expect((await load(ID)).name).toBe(stored.name);
  });

  it("never hands one pipeline's early answer to another, and checks it like any answer", async () => {
    w.__kilnEarlyPipeline = { path: '/api/pipelines/another', response: Promise.resolve(new Response('{"name":"other"}')) };
    expect((await load(ID)).id).toBe(ID);
    w.__kilnEarlyPipeline = { path: `/api/pipelines/${ID}`, response: Promise.resolve(new Response('{"not":"a pipeline"}')) };
    await expect(load(ID)).rejects.toMatchObject({ code: 'invalid_response' });
  });
});
