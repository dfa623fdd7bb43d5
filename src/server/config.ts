import { resolve } from 'node:path';

export interface KilnConfig {
  host: string;
  port: number;
  /** Where the embedded database and local-cloud state live. */
  dataDir: string;
  /** postgres://… switches from the embedded PGlite to PostgreSQL. */
  databaseUrl: string | undefined;
  /** Seed the demo project into an empty database. */
  seedDemo: boolean;
  /** Serve the dashboard (building it when needed); off runs the API alone. */
  dashboard: boolean;
  /** Chosen one-time setup token for the first admin (automation); otherwise a random one is printed. */
  setupToken: string | undefined;
}

export class ConfigError extends Error {}

/** Reads the environment once at start; a bad value stops Kiln with a message naming the variable. */
export function readConfig(env: NodeJS.ProcessEnv): KilnConfig {
  const port = env.PORT === undefined || env.PORT === '' ? 8080 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535, got '${env.PORT}'.`);
  }
  const databaseUrl = env.DATABASE_URL === '' ? undefined : env.DATABASE_URL;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError("DATABASE_URL must start with postgres:// or postgresql://.");
  }
  const seed = env.KILN_DEMO ?? 'true';
  if (seed !== 'true' && seed !== 'false') {
    throw new ConfigError(`KILN_DEMO must be 'true' or 'false', got '${seed}'.`);
  }
  const dashboard = env.KILN_DASHBOARD ?? 'on';
  if (dashboard !== 'on' && dashboard !== 'off') {
    throw new ConfigError(`KILN_DASHBOARD must be 'on' or 'off', got '${dashboard}'.`);
  }
  const setupToken = env.KILN_SETUP_TOKEN === '' ? undefined : env.KILN_SETUP_TOKEN;
  if (setupToken !== undefined && !/^[A-Za-z0-9_-]{24,200}$/.test(setupToken)) {
    throw new ConfigError('KILN_SETUP_TOKEN must be 24-200 letters, digits, _ or - (it guards the first admin account).');
  }
  return {
    setupToken,
    dashboard: dashboard === 'on',
    host: env.HOST || '127.0.0.1',
    port,
    dataDir: resolve(env.KILN_DATA || '.kiln'),
    databaseUrl,
    seedDemo: seed === 'true',
  };
}
