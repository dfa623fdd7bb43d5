import { afterEach, describe, expect, it } from 'vitest';
import { server } from '../../../mocks/node';
import { meQuery } from './auth-queries';
import { createQueryClient } from './query-client';

const w = globalThis as { __kilnEarlyMe?: { path: string; response: Promise<Response> } };

afterEach(() => void delete w.__kilnEarlyMe);

/** How many times the page asked the server who is signed in. */
function countAsks(): () => number {
  let asked = 0;
  const count = ({ request }: { request: Request }) => {
    if (new URL(request.url).pathname === '/api/auth/me') asked++;
  };
  server.events.on('request:start', count);
  afterEach(() => void server.events.removeListener('request:start', count));
  return () => asked;
}

describe('who is signed in, on a first visit', () => {
  it("takes index.html's page-start answer instead of asking again once the code is in; a later check asks the server", async () => {
    const asked = countAsks();
    // The page started while signed out (401); the server now knows the mock's signed-in user.
    w.__kilnEarlyMe = { path: '/api/auth/me', response: Promise.resolve(new Response('{"error":"unauthorized","message":"Sign in."}', { status: 401 })) };
    const client = createQueryClient();
    expect(await client.fetchQuery(meQuery())).toBeNull();
    expect(asked()).toBe(0);
    expect(w.__kilnEarlyMe).toBeUndefined();

    const again = await client.fetchQuery({ ...meQuery(), staleTime: 0 });
    expect(again?.user.name).toBeTruthy();
    expect(asked()).toBe(1);
  });

  it('checks the page-start answer like any other', async () => {
    w.__kilnEarlyMe = { path: '/api/auth/me', response: Promise.resolve(new Response('{"user":"not a user"}')) };
    await expect(createQueryClient().fetchQuery(meQuery())).rejects.toMatchObject({ code: 'invalid_response' });
  });
});
