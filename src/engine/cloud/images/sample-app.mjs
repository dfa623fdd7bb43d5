// The built-in sample app image: a tiny HTTP server, started by the local cloud as one instance.
// It behaves like a baked image's first boot: read identity and user-data from the metadata
// service, start serving, then report ready (the seed's first-boot unit). Plain JavaScript with no
// dependencies, run by the same node binary as Kiln.
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
const instanceId = process.env.KILN_INSTANCE_ID ?? 'unknown';
const metadataUrl = process.env.KILN_METADATA_URL;
const version = process.env.KILN_IMAGE_VERSION ?? 'unknown';
// `sample-app-faulty` is the same app with a bug: it fails every request under /checkout.
const faulty = process.env.KILN_IMAGE_NAME === 'sample-app-faulty';
// `sample-app-ready` answers its health on /ready and 404s /health, as an app whose recipe says
// `run.healthPath: /ready` (the provider contract checks every provider asks it there).
const healthPath = process.env.KILN_IMAGE_NAME === 'sample-app-ready' ? '/ready' : '/health';

const log = (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

async function metadata(path, init) {
  const res = await fetch(`${metadataUrl}${path}`, init);
  if (!res.ok) throw new Error(`metadata ${path}: HTTP ${res.status}`);
  return res;
}

let hostname = instanceId;
let userData = '';
if (metadataUrl) {
  const identity = await (await metadata('/instance')).json();
  hostname = identity.hostname;
  userData = await (await metadata('/user-data')).text();
  log(`metadata: hostname ${hostname}, ${userData.length} bytes of user-data`);
}

// A broken image: user-data can make the app exit at once, to exercise the cloud's crash-loop back-off.
if (userData.includes('kiln-sample: crash')) {
  log('user-data says crash: exiting with code 3');
  process.exit(3);
}

// A health endpoint that takes its time (an app warming its caches): user-data can ask for it, to
// exercise a group enabled between its report-ready and its first health check.
const healthDelayMs = userData.includes('kiln-sample: slow-health') ? 600 : 0;

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/health' && healthPath !== '/health') {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
    return;
  }
  if (path === healthPath) {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', instanceId, version }));
    }, healthDelayMs);
    return;
  }
  // A slow answer, for seeing requests in flight finish while a group drains.
  if (path === '/slow') {
    const ms = Math.min(Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms')) || 1000, 10_000);
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-app-version': version });
      res.end(`sample-app ${version} on ${hostname}: slow answer after ${ms} ms\n`);
    }, ms);
    return;
  }
  if (faulty && path.startsWith('/checkout')) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(`sample-app ${version} on ${hostname}: checkout is broken\n`);
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain', 'x-kiln-instance': instanceId, 'x-app-version': version });
  res.end(`sample-app ${version} on ${hostname}\n`);
});
server.keepAliveTimeout = 65_000;

// 0.0.0.0 so the app is reachable behind a container's bridge; the local cloud sets HOST=127.0.0.1
// (every instance shares this machine's network there, and none should be reachable from outside).
const host = process.env.HOST || '0.0.0.0';
server.listen(port, host, async () => {
  log(`listening on ${host}:${port} as ${instanceId} (sample-app ${version})`);
  if (!metadataUrl) return;
  // A first-boot unit that never finishes: user-data can ask for it, to exercise the cloud's readiness timeout.
  if (userData.includes('kiln-sample: never-ready')) return log('user-data says never-ready: not reporting ready');
  try {
    await metadata('/ready', { method: 'POST' });
    log('reported ready');
  } catch (err) {
    log(`could not report ready: ${err.message}`);
  }
});

// SIGTERM: stop accepting, let in-flight requests finish, then exit (the cloud drains before this).
process.on('SIGTERM', () => {
  log('SIGTERM: closing');
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
});
