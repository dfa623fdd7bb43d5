// The demo's application: a tiny web shop front page, baked by the demo recipe into a bundle and
// run by the local cloud. Each answer names the image version and the instance that served it, so
// a newcomer refreshing the production load balancer sees traffic move from one version to the
// next during a rolling deploy. Plain JavaScript, no dependencies, run as `node server.mjs`.
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
const instanceId = process.env.KILN_INSTANCE_ID ?? 'unknown';
const version = process.env.KILN_IMAGE_VERSION ?? 'unknown';
const metadataUrl = process.env.KILN_METADATA_URL;
const log = (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

const PRODUCTS = [
  ['Stoneware mug', 18],
  ['Glazed bowl', 26],
  ['Kiln-fired vase', 64],
];

function page() {
  const items = PRODUCTS.map(([name, price]) => `<li>${name} <span>€${price}</span></li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Storefront ${version}</title>
<style>body{font:16px system-ui;margin:3rem auto;max-width:32rem;color:#1f2937}h1{margin:0}
.v{display:inline-block;background:#7c3aed;color:#fff;border-radius:6px;padding:.1rem .5rem;font-weight:600}
ul{padding:0;list-style:none}li{display:flex;justify-content:space-between;border-bottom:1px solid #e5e7eb;padding:.4rem 0}small{color:#6b7280}</style></head>
<body><h1>Storefront <span class="v">${version}</span></h1><p><small>served by ${instanceId}</small></p><ul>${items}</ul></body></html>\n`;
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ status: 'ok', version, instanceId }));
  }
  if (path === '/version') {
    res.writeHead(200, { 'content-type': 'text/plain', 'x-app-version': version });
    return res.end(`${version}\n`);
  }
  if (path !== '/') {
    res.writeHead(404, { 'content-type': 'text/plain' });
    return res.end('not found\n');
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-app-version': version, 'x-kiln-instance': instanceId });
  res.end(page());
});

// 0.0.0.0 so the app is reachable behind a container's bridge; the local cloud sets HOST=127.0.0.1
// (every instance shares this machine's network there, and none should be reachable from outside).
const host = process.env.HOST || '0.0.0.0';
server.listen(port, host, async () => {
  log(`storefront ${version} listening on ${host}:${port} as ${instanceId}`);
  // The first-boot protocol: tell the cloud's metadata service the instance is ready for traffic.
  if (!metadataUrl) return;
  try {
    const res = await fetch(`${metadataUrl}/ready`, { method: 'POST' });
    log(res.ok ? 'reported ready' : `report-ready answered HTTP ${res.status}`);
  } catch (err) {
    log(`could not report ready: ${err.message}`);
  }
});

// The cloud drains the instance out of its load balancers before SIGTERM; finish what is in flight.
process.on('SIGTERM', () => {
  log('SIGTERM: closing');
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
});
