import type { Migration } from '../migrate';

/**
 * A Kubernetes account's metrics source (its Prometheus URL and query templates), which canary
 * analysis reads. Nothing in it is secret: the Prometheus token sits with the other credentials.
 */
export const accountMetricsSchema: Migration = {
  version: 295,
  name: 'account metrics',
  up: /* sql */ `
    alter table accounts add column metrics jsonb;
  `,
};
