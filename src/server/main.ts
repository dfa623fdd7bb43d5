import { mkdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { buildApp } from './app';
import { ConfigError, readConfig } from './config';
import { ensureSpaBuilt } from './spa-build';
import { createDatabase } from '../db/client';
import { createPostgresSignals } from '../db/signals';
import { migrate } from '../db/migrate';
import { createRepositories } from '../db/repositories';
import { seedDemoIfEmpty } from '../db/seed-demo';
import { scanStoredRows } from '../db/scan-rows';
import { startDemoRelease } from './demo-release';
import { offerDemoContainers } from './demo-containers';
import { ensureSetupToken } from './auth/sessions';
import {
  createEventBus,
  createEngine,
  createLocalCloud,
  leaseOwnerName,
  kilnProviders,
  createRegistryCatalog,
  bakeryPaths,
  createJobSandbox,
  pruneStageCacheNow,
  stageCachePolicy,
} from '../engine/index';

const root = resolve(import.meta.dirname, '../..');
const log = (line: string) => process.stdout.write(`[kiln] ${line}\n`);

async function main(): Promise<void> {
  const config = readConfig(process.env);
  try {
    stageCachePolicy(process.env);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const staticRoot = config.dashboard ? await ensureSpaBuilt(root, log) : undefined;

  mkdirSync(config.dataDir, { recursive: true });
  const db = await createDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: join(config.dataDir, 'pglite') });
  await migrate(db);
  const repos = createRepositories(db);
  if (config.seedDemo && (await seedDemoIfEmpty(repos, db, { stepDelaySec: config.demoStepDelaySec }))) log('Seeded the demo project (first start).');
  // A row that does not parse is left out (each is logged once) rather than stopping Kiln; /api/health names them.
  const quarantined = await scanStoredRows(repos);
  if (quarantined.length > 0) log(`${quarantined.length} stored row(s) do not parse and are quarantined; Kiln runs without them (see /api/health).`);

  // Several processes on one PostgreSQL hear of each other's due work and new events at once (LISTEN/NOTIFY).
  const signals = config.databaseUrl
    ? createPostgresSignals({ databaseUrl: config.databaseUrl, query: (sql, params) => db.query(sql, params), onError: (err) => log(`signals: ${String(err)}`) })
    : undefined;
  const events = createEventBus(repos, undefined, signals);
  // The local cloud re-adopts the instances a previous run left going (or restarts them) before the engine resumes deploys.
  // Baked bundles run on the local cloud next to the built-in images; the bake stage stores them under the same data dir.
  const images = createRegistryCatalog({ repos, paths: bakeryPaths(config.dataDir), onError: (err) => log(`image registry: ${String(err)}`) });
  await images.load();
  // Build stages cached by earlier runs: the same policy as after each bake (stage-cache.ts), in the background.
  void pruneStageCacheNow(bakeryPaths(config.dataDir), repos, new Date(), (line) => log(`stage cache: ${line}`));
  // One name for this process in every provider lease (the local cloud's, each container and VM account's) and in
  // the engine's presence (migration 310): when this process dies, another takes them over about a second later
  // (migration 325), as it does its executions.
  const owner = leaseOwnerName(randomUUID().slice(0, 8));
  const cloud = createLocalCloud({ repos, dataDir: join(config.dataDir, 'cloud'), images, owner, log: (line) => log(`cloud: ${line}`) });
  await cloud.start();
  // Webhooks and notifications may not reach this machine, private networks or Kiln's own port unless allowed.
  const outbound = { allow: config.outboundAllow, ownPorts: new Set(config.port > 0 ? [config.port] : []) };
  // Jobs never see KILN_DATA (the database files, cloud state, baked images); sandbox.ts hides Kiln's own files.
  const jobSandbox = { mode: config.jobSandbox, hide: [config.dataDir] };
  if (config.jobSandbox === 'off') log("KILN_JOB_SANDBOX=off: jobs and bake shell steps run unsandboxed with Kiln's own rights.");
  const sandboxProblem = createJobSandbox(jobSandbox).unavailable();
  if (sandboxProblem) log(`Jobs will be refused: ${sandboxProblem}.`);
  // Docker accounts get a container provider each, made on their first deploy (see kilnProviders).
  const providers = kilnProviders({
    repos,
    local: cloud,
    cloudDir: join(config.dataDir, 'cloud'),
    bakery: bakeryPaths(config.dataDir),
    owner,
    log: (line) => log(`containers: ${line}`),
  });
  const engine = createEngine({
    repos,
    events,
    outbound,
    jobSandbox,
    cloud: providers,
    leadsCloud: () => cloud.leading,
    owner,
    ...(signals ? { signals } : {}),
    onError: (err) => process.stderr.write(`[kiln] engine: ${String(err)}\n`),
  });
  const app = await buildApp({
    db,
    repos,
    events,
    engine,
    cloud,
    version,
    staticRoot,
    dataDir: config.dataDir,
    oidc: config.oidc,
    logger: { level: process.env.LOG_LEVEL ?? 'warn' },
  });
  const address = await app.listen({ host: config.host, port: config.port });
  outbound.ownPorts.add(new URL(address).port === '' ? 80 : Number(new URL(address).port));
  // Executions left running by a previous process (or a crashed one) are picked up here.
  engine.run();
  if (config.seedDemo) {
    // The demo's first release really bakes and deploys; it runs in the background like any execution.
    const release = await startDemoRelease(repos, engine).catch((err: unknown) => void log(`demo: could not start the first release: ${String(err)}`));
    if (release) log(`Demo: the first storefront release is running (execution ${release.id}); watch it under Applications → storefront → Executions.`);
  }
  // A "containers" environment when a container engine's socket is found and answers (KILN_DEMO_CONTAINERS=off: never).
  // Not awaited, and asked once Kiln serves: an engine slow to answer, or a socket nobody listens on, must not hold up the start.
  const offeringContainers = config.seedDemo
    ? offerDemoContainers({ repos, env: process.env, log }).catch((err: unknown) => void log(`Demo: containers: ${String(err)}`))
    : undefined;
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${join(config.dataDir, 'pglite')}`;
  const url = address.replace('[::1]', 'localhost');
  log(`Kiln ${version} is running at ${url}  (database: ${where})`);
  // No default password: the first admin is created through a one-time link printed here.
  const setupToken = await ensureSetupToken(repos, new Date(), config.setupToken);
  if (config.oidc) log(`Single sign-on: "Sign in with ${config.oidc.name}" through ${config.oidc.issuer}.`);
  if (setupToken) log(`No admin yet. Create one (link valid 24 h, once): ${url}/setup#token=${setupToken}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    // Jobs run in their own process groups and would outlive Kiln; their stages fail as interrupted on the next start.
    await engine.killJobs();
    await offeringContainers;
    await app.close();
    // A graceful stop takes instances and load balancers with it (the next start launches them again); only a crash leaves them serving, to be adopted.
    await cloud.close();
    await providers.close();
    images.close();
    await signals?.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`kiln: ${err.message}\n`);
    process.exit(2);
  }
  const code = (err as { code?: string }).code;
  if (code === 'EADDRINUSE') {
    process.stderr.write(`kiln: port already in use (set PORT to another port): ${(err as Error).message}\n`);
    process.exit(1);
  }
  process.stderr.write(`kiln: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
