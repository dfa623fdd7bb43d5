import type { Database, Repositories } from '../db/types';
import type { EventBus, Engine, LocalCloud } from '../engine/index';
import type { SseOptions } from './routes/events';
import type { OidcConfig } from './config';

/** Everything buildApp needs, passed in so tests can build the app on a throwaway database. */
export interface AppDeps {
  db: Database;
  repos: Repositories;
  version: string;
  /** Directory of the built SPA; when absent the BFF serves only /api. */
  staticRoot?: string | undefined;
  /** Fastify logger setting; tests keep it off. */
  logger?: boolean | { level: string };
  /** Live events; buildApp creates one on `repos` when absent. Tests pass theirs to publish into it. */
  events?: EventBus | undefined;
  /** The deploy engine; buildApp creates one on `repos` and `events` when absent (it ticks on demand). */
  engine?: Engine | undefined;
  /** The local cloud behind local accounts; without it server-group operations answer 409. */
  cloud?: LocalCloud | undefined;
  /** The clock for sessions, tokens and the audit log; tests pass a fake one. */
  now?: (() => Date) | undefined;
  /** Stream timings (heartbeat, poll); tests shorten them. */
  sse?: SseOptions | undefined;
  /** Kiln's data directory (KILN_DATA), where baked images are stored; default as `npm start` reads it. */
  dataDir?: string | undefined;
  /** Single sign-on through an OpenID Connect provider (KILN_OIDC_*); off when absent. */
  oidc?: OidcConfig | undefined;
}
