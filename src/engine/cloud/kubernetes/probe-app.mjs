// A test app stricter than the sample app: it answers only its own paths (404 anywhere else, as
// most real apps do), so a readiness probe on the wrong path fails. Its health path is /ready, not
// Kiln's default /health, as a recipe's `run.healthPath` may say; `/` tells who and where it runs.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

// What a securityContext changes, as the process itself sees it.
const status = () => {
  const text = readFileSync('/proc/self/status', 'utf8');
  const field = (name) => new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(text)?.[1];
  return { noNewPrivs: field('NoNewPrivs'), capEff: field('CapEff'), seccomp: field('Seccomp') };
};

const json = { 'content-type': 'application/json' };
const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/ready') {
    res.writeHead(200, json);
    res.end(JSON.stringify({ ready: true }));
    return;
  }
  if (path === '/') {
    const env = Object.fromEntries(['PORT', 'KILN_IMAGE_NAME', 'KILN_IMAGE_VERSION', 'KILN_INSTANCE_ID'].map((k) => [k, process.env[k]]));
    res.writeHead(200, json);
    res.end(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), cwd: process.cwd(), argv: process.argv.slice(1), env, ...status() }));
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
});
const host = process.env.HOST || '0.0.0.0';
server.listen(Number(process.env.PORT), host, () => process.stdout.write(`probe-app listening on ${host}:${process.env.PORT}\n`));
