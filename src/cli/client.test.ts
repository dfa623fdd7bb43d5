import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEndpoint } from '../shared/api/client';
import { getClusters } from '../shared/api/clusters';
import { openTestApp } from '../server/test-app';
import { EXIT } from './io';
import { main } from './main';

let app: FastifyInstance;
let close: () => Promise<void>;
let url: string;
let token: string;

beforeAll(async () => {
  ({ app, close, token } = await openTestApp());
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => close());

describe('one client for the dashboard and the CLI', () => {
  it("shows a refusal's message and field to the CLI user as the dashboard gets them", async () => {
    // The dashboard's apiFetch is callEndpoint with the page's fetch; here with a token instead of the session cookie.
    const dashboard = await callEndpoint({ baseUrl: url, token, send: fetch }, getClusters, { params: { application: 'web' }, query: { region: 'Not A Region' } }).catch(
      (e: unknown) => e,
    );
    expect(dashboard).toMatchObject({ status: 400, code: 'bad_request', field: 'region', message: expect.stringMatching(/region/) });
    const { message } = dashboard as { message: string };

    let err = '';
    const code = await main(['cluster', 'list', 'web', '--region', 'Not A Region'], {
      stdout: { write: () => true },
      stderr: { write: (t: string) => (err += t) },
      stdin: (async function* () {})(),
      env: { HOME: mkdtempSync(join(tmpdir(), 'kiln-cli-home-')), KILN_URL: url, KILN_TOKEN: token },
    });
    expect({ code, err }).toEqual({ code: EXIT.failed, err: `kiln: HTTP 400: ${message} (field: region)\n` });
  });
});
