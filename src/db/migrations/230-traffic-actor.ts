import type { Migration } from '../migrate';

/**
 * Who took a group into or out of traffic: the person (through the API) or the run (its execution,
 * the execution's application and its trigger's user). Null for changes before this version and for
 * ones nobody asked for (a provider noticing a group's state by itself).
 */
export const trafficActorSchema: Migration = {
  version: 230,
  name: 'server-group traffic actor',
  up: /* sql */ `
    alter table server_group_traffic add column by_user text, add column by_execution text, add column by_application text;
  `,
};
