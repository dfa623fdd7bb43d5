import { resolve } from 'node:path';
import { parseOutboundAllow, type OutboundAllowEntry } from '../engine/index';

export interface KilnConfig {
  host: string;
  port: number;
  /** Where the embedded database and local-cloud state live. */
  dataDir: string;
  /** postgres://… switches from the embedded PGlite to PostgreSQL. */
  databaseUrl: string | undefined;
  /** Seed the demo project into an empty database. */
  seedDemo: boolean;
  /** KILN_DEMO_STEP_DELAY_SEC: the seeded demo's pause between production traffic steps (seconds). */
  demoStepDelaySec: number;
  /** Serve the dashboard (building it when needed); off runs the API alone. */
  dashboard: boolean;
  /** Chosen one-time setup token for the first admin (automation); otherwise a random one is printed. */
  setupToken: string | undefined;
  /** Sign-in through an OpenID Connect provider; undefined when KILN_OIDC_ISSUER is unset. */
  oidc: OidcConfig | undefined;
  /** KILN_OUTBOUND_ALLOW: private hosts, addresses and blocks webhook stages and notifications may call. */
  outboundAllow: OutboundAllowEntry[];
  /** KILN_JOB_SANDBOX: `on` runs jobs and bake shell steps in bubblewrap as an unprivileged user; `off` as Kiln's own user. */
  jobSandbox: 'on' | 'off';
}

/** OpenID Connect sign-in, from the KILN_OIDC_* variables (see README, "Single sign-on"). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** Undefined for a public client (PKCE only, no client authentication). */
  clientSecret: string | undefined;
  /** Where the provider sends the browser back: …/api/auth/oidc/callback. */
  redirectUrl: string;
  scopes: string;
  /** A claim name, or a dotted path into nested claims (realm_access.roles). */
  groupsClaim: string;
  /** Provider group → Kiln roles; the role `admin` stands for Kiln's admin flag. */
  roleMap: ReadonlyMap<string, readonly string[]>;
  /** Shown on the button: "Sign in with <name>". */
  name: string;
  /** Admit people in no mapped group (with no roles); by default they are refused. */
  allowUnmapped: boolean;
  /** Take over a local account of the same name instead of refusing the sign-in. */
  linkLocalUsers: boolean;
}

/** The Kiln role that means "admin" in KILN_OIDC_ROLE_MAP. */
export const OIDC_ADMIN_ROLE = 'admin';
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';
const ROLE = /^[a-z][a-z0-9._-]{1,39}$/;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function httpUrl(name: string, value: string, allowPath: boolean): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got '${value}'.`);
  }
  // Plain http only on this machine (a provider under test); anywhere else codes and tokens would travel in clear.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new ConfigError(`${name} must be an https:// URL (http:// only for localhost), got '${value}'.`);
  }
  if (url.search || url.hash || (!allowPath && url.pathname !== '/'))
    throw new ConfigError(`${name} must not have ${allowPath ? 'a query or fragment' : 'a path, query or fragment'}, got '${value}'.`);
  return url;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = env[name] || 'false';
  if (value !== 'true' && value !== 'false') throw new ConfigError(`${name} must be 'true' or 'false', got '${value}'.`);
  return value === 'true';
}

/** `group=role,group=role`: a group may map to several roles, several groups to one role. */
export function parseRoleMap(value: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const at = entry.lastIndexOf('=');
    const group = entry.slice(0, at).trim();
    const role = entry.slice(at + 1).trim();
    if (at <= 0 || !group) throw new ConfigError(`KILN_OIDC_ROLE_MAP entries are group=role, got '${entry}'.`);
    if (!ROLE.test(role)) throw new ConfigError(`KILN_OIDC_ROLE_MAP: '${role}' (for group '${group}') is not a Kiln role name (2-40 of a-z, 0-9, . _ -, starting with a letter).`);
    map.set(group, [...new Set([...(map.get(group) ?? []), role])]);
  }
  return map;
}

function readOidc(env: NodeJS.ProcessEnv): OidcConfig | undefined {
  const issuer = env.KILN_OIDC_ISSUER || undefined;
  if (!issuer) {
    const stray = Object.keys(env).filter((k) => k.startsWith('KILN_OIDC_') && env[k]);
    if (stray.length > 0) throw new ConfigError(`KILN_OIDC_ISSUER must be set to use ${stray.sort().join(', ')} (or unset those to turn single sign-on off).`);
    return undefined;
  }
  httpUrl('KILN_OIDC_ISSUER', issuer, true);
  const clientId = env.KILN_OIDC_CLIENT_ID;
  if (!clientId) throw new ConfigError('KILN_OIDC_CLIENT_ID must be set when KILN_OIDC_ISSUER is (the client id registered at the provider).');
  let redirectUrl = env.KILN_OIDC_REDIRECT_URL || undefined;
  if (redirectUrl) {
    if (httpUrl('KILN_OIDC_REDIRECT_URL', redirectUrl, true).pathname !== OIDC_CALLBACK_PATH) {
      throw new ConfigError(`KILN_OIDC_REDIRECT_URL must end in ${OIDC_CALLBACK_PATH}, got '${redirectUrl}'.`);
    }
  } else if (env.KILN_PUBLIC_URL) {
    redirectUrl = new URL(OIDC_CALLBACK_PATH, httpUrl('KILN_PUBLIC_URL', env.KILN_PUBLIC_URL.replace(/\/+$/, ''), false)).href;
  } else {
    throw new ConfigError(`KILN_OIDC_REDIRECT_URL (or KILN_PUBLIC_URL, from which it is ${OIDC_CALLBACK_PATH}) must be set when KILN_OIDC_ISSUER is.`);
  }
  const scopes = (env.KILN_OIDC_SCOPES || 'openid profile email').trim().replace(/\s+/g, ' ');
  if (!scopes.split(' ').includes('openid')) throw new ConfigError(`KILN_OIDC_SCOPES must include 'openid', got '${scopes}'.`);
  const groupsClaim = env.KILN_OIDC_GROUPS_CLAIM || 'groups';
  if (!/^[A-Za-z0-9_:/-]+(\.[A-Za-z0-9_:/-]+)*$/.test(groupsClaim)) throw new ConfigError(`KILN_OIDC_GROUPS_CLAIM must be a claim name or dotted path, got '${groupsClaim}'.`);
  const roleMap = parseRoleMap(env.KILN_OIDC_ROLE_MAP ?? '');
  const allowUnmapped = flag(env, 'KILN_OIDC_ALLOW_UNMAPPED');
  if (roleMap.size === 0 && !allowUnmapped) {
    throw new ConfigError('KILN_OIDC_ROLE_MAP must map at least one group to a role (group=role,…), or set KILN_OIDC_ALLOW_UNMAPPED=true to admit everyone the provider signs in.');
  }
  const name = (env.KILN_OIDC_NAME || 'single sign-on').trim();
  if (name.length > 40) throw new ConfigError(`KILN_OIDC_NAME must be at most 40 characters (it labels a button), got ${name.length}.`);
  return {
    issuer,
    clientId,
    clientSecret: env.KILN_OIDC_CLIENT_SECRET || undefined,
    redirectUrl,
    scopes,
    groupsClaim,
    roleMap,
    name,
    allowUnmapped,
    linkLocalUsers: flag(env, 'KILN_OIDC_LINK_LOCAL_USERS'),
  };
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
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://.');
  }
  const seed = env.KILN_DEMO ?? 'true';
  if (seed !== 'true' && seed !== 'false') {
    throw new ConfigError(`KILN_DEMO must be 'true' or 'false', got '${seed}'.`);
  }
  // Long enough by default to watch both versions answer; a demo run unattended (a test, a rehearsal) may shorten it.
  const demoStepDelay = env.KILN_DEMO_STEP_DELAY_SEC || '10';
  if (!/^\d{1,3}$/.test(demoStepDelay) || Number(demoStepDelay) > 600) {
    throw new ConfigError(`KILN_DEMO_STEP_DELAY_SEC must be a whole number of seconds from 0 to 600, got '${demoStepDelay}'.`);
  }
  const dashboard = env.KILN_DASHBOARD ?? 'on';
  if (dashboard !== 'on' && dashboard !== 'off') {
    throw new ConfigError(`KILN_DASHBOARD must be 'on' or 'off', got '${dashboard}'.`);
  }
  const setupToken = env.KILN_SETUP_TOKEN === '' ? undefined : env.KILN_SETUP_TOKEN;
  if (setupToken !== undefined && !/^[A-Za-z0-9_-]{24,200}$/.test(setupToken)) {
    throw new ConfigError('KILN_SETUP_TOKEN must be 24-200 letters, digits, _ or - (it guards the first admin account).');
  }
  const jobSandbox = env.KILN_JOB_SANDBOX || 'on';
  if (jobSandbox !== 'on' && jobSandbox !== 'off') {
    throw new ConfigError(`KILN_JOB_SANDBOX must be 'on' or 'off' (off runs jobs unsandboxed with Kiln's own rights), got '${jobSandbox}'.`);
  }
  const oidc = readOidc(env);
  let outboundAllow: OutboundAllowEntry[];
  try {
    outboundAllow = parseOutboundAllow(env.KILN_OUTBOUND_ALLOW ?? '');
  } catch (err) {
    throw new ConfigError(`KILN_OUTBOUND_ALLOW is a comma-separated list of hosts, host:port, addresses or CIDR blocks: ${(err as Error).message}.`);
  }
  return {
    jobSandbox,
    oidc,
    outboundAllow,
    setupToken,
    dashboard: dashboard === 'on',
    host: env.HOST || '127.0.0.1',
    port,
    dataDir: resolve(env.KILN_DATA || '.kiln'),
    databaseUrl,
    seedDemo: seed === 'true',
    demoStepDelaySec: Number(demoStepDelay),
  };
}
