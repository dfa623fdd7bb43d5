import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A small Jenkins for tests, answering in the shapes of Jenkins' remote access API
 * (https://www.jenkins.io/doc/book/using/remote-access-api/): a crumb issuer whose crumb is bound
 * to a session cookie, `buildWithParameters` answering 201 with the queue item in `Location`, the
 * queue item's `executable`, the console by `logText/progressiveText?start=` with `X-Text-Size`
 * and `X-More-Data`, the build's `api/json` with result and artifacts, `artifact/<path>`, `stop`.
 */
export interface FakeJenkins {
  url: string;
  /** Every request as method + path (with query), in order. */
  requests: string[];
  /** The form parameters each build was started with. */
  started: Array<{ job: string; parameters: Record<string, string> }>;
  /** Builds stopped (`job #n`) and queue items cancelled (`queue n`). */
  stopped: string[];
  close(): Promise<void>;
}

interface Job {
  result: 'SUCCESS' | 'FAILURE' | 'UNSTABLE';
  console: string[];
  artifacts?: Record<string, string>;
  /** Never finishes until stopped. */
  endless?: boolean;
}

export const JENKINS_USER = 'kiln';

export async function startFakeJenkins(token: string, jobs: Record<string, Job>): Promise<FakeJenkins> {
  const requests: string[] = [];
  const started: FakeJenkins['started'] = [];
  const stopped: string[] = [];
  const builds = new Map<number, { job: string; stopped: boolean; queuePolls: number }>();
  let nextBuild = 41;
  const expectedAuth = `Basic ${Buffer.from(`${JENKINS_USER}:${token}`).toString('base64')}`;
  let base = '';

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers }).end(typeof body === 'string' ? body : JSON.stringify(body));

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.headers.authorization !== expectedAuth) return send(res, 401, 'Invalid password/token for user: kiln');
    if (url.pathname === '/crumbIssuer/api/json') {
      return send(
        res,
        200,
        { _class: 'hudson.security.csrf.DefaultCrumbIssuer', crumb: 'crumb-123', crumbRequestField: 'Jenkins-Crumb' },
        { 'set-cookie': 'JSESSIONID.abc=node01; Path=/; HttpOnly' },
      );
    }
    if (req.method === 'POST' && (req.headers['jenkins-crumb'] !== 'crumb-123' || !String(req.headers.cookie).includes('JSESSIONID.abc=node01'))) {
      return send(res, 403, 'No valid crumb was included in the request');
    }
    const queue = /^\/queue\/item\/(\d+)\/api\/json$/.exec(url.pathname);
    if (queue) {
      const build = builds.get(Number(queue[1]));
      if (!build) return send(res, 404, 'no such queue item');
      build.queuePolls += 1;
      // The first look finds it waiting, as a busy Jenkins would.
      if (build.queuePolls === 1)
        return send(res, 200, { _class: 'hudson.model.Queue$WaitingItem', id: Number(queue[1]), why: 'Waiting for next available executor', cancelled: false });
      return send(res, 200, {
        _class: 'hudson.model.Queue$LeftItem',
        cancelled: false,
        executable: { _class: 'hudson.model.FreeStyleBuild', number: Number(queue[1]), url: `${base}${jobPathOf(build.job)}/${queue[1]}/` },
      });
    }
    if (req.method === 'POST' && url.pathname === '/queue/cancelItem') {
      stopped.push(`queue ${url.searchParams.get('id')}`);
      return send(res, 204, '');
    }
    const m = /^((?:\/job\/[^/]+)+)\/(buildWithParameters|build|(\d+)\/(logText\/progressiveText|api\/json|stop|artifact\/(.+)))$/.exec(url.pathname);
    const name = m?.[1]
      ?.split('/job/')
      .slice(1)
      .map((p) => decodeURIComponent(p))
      .join('/');
    const job = name !== undefined ? jobs[name] : undefined;
    if (!m || !job || name === undefined) return send(res, 404, '<html>Not Found</html>');
    if (m[2] === 'buildWithParameters' || m[2] === 'build') {
      const id = (nextBuild += 1);
      builds.set(id, { job: name, stopped: false, queuePolls: 0 });
      started.push({ job: name, parameters: Object.fromEntries(new URLSearchParams(body)) });
      return send(res, 201, '', { location: `${base}/queue/item/${id}/` });
    }
    const number = Number(m[3]);
    const build = builds.get(number);
    if (!build || build.job !== name) return send(res, 404, 'no such build');
    const text = job.console.join('\n') + '\n';
    if (m[4] === 'stop') {
      build.stopped = true;
      stopped.push(`${name} #${number}`);
      return send(res, 302, '', { location: `${base}${jobPathOf(name)}/${number}/` });
    }
    if (m[4] === 'logText/progressiveText') {
      const start = Number(url.searchParams.get('start') ?? 0);
      const bytes = Buffer.from(text);
      // The console arrives in two halves, the first with more to come; an endless build always has more.
      const half = Math.ceil(bytes.length / 2);
      const end = start < half ? half : bytes.length;
      const more = job.endless ? !build.stopped : end < bytes.length;
      return send(res, 200, bytes.subarray(Math.min(start, bytes.length), end).toString(), { 'x-text-size': String(end), ...(more ? { 'x-more-data': 'true' } : {}) });
    }
    if (m[4] === 'api/json') {
      const building = job.endless === true && !build.stopped;
      const artifacts = Object.keys(job.artifacts ?? {}).map((p) => ({ displayPath: p.split('/').at(-1), fileName: p.split('/').at(-1), relativePath: p }));
      return send(res, 200, {
        _class: 'hudson.model.FreeStyleBuild',
        number,
        url: `${base}${jobPathOf(name)}/${number}/`,
        building,
        result: building ? null : build.stopped ? 'ABORTED' : job.result,
        artifacts,
      });
    }
    const artifact = job.artifacts?.[decodeURIComponent(m[5] ?? '')];
    return artifact === undefined ? send(res, 404, 'no such artifact') : send(res, 200, artifact);
  };

  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url: base, requests, started, stopped, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

const jobPathOf = (job: string) =>
  job
    .split('/')
    .map((p) => `/job/${encodeURIComponent(p)}`)
    .join('');
