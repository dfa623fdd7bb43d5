import type { Migration } from '../migrate';

/**
 * Read-model versions (migration 196) are bumped at commit, in name order, instead of at each write.
 * Bumping at the write locked an application's version row until commit, so two transactions that
 * wrote two applications' groups or instances in opposite orders waited for each other: PostgreSQL
 * broke the deadlock by aborting one (a lost instance-health or deploy write). Now a write only
 * notes its application in a transaction-local setting; a deferred trigger bumps the noted
 * applications once, in name order, when the transaction commits, so every writer takes version
 * rows in the same order and holds them only for its commit. A rolled-back savepoint forgets its
 * notes with its writes. The version still moves in the very commit that changes the data.
 */
export const readModelBumpsAtCommitSchema: Migration = {
  version: 245,
  name: 'read model bumps at commit',
  up: /* sql */ `
    create or replace function kiln_bump_read_model(app text) returns void language sql as $$
      select set_config('kiln.read_models', coalesce(current_setting('kiln.read_models', true), '') || app || E'\\n', true);
    $$;

    create function kiln_flush_read_models() returns trigger language plpgsql as $$
    declare
      noted text := current_setting('kiln.read_models', true);
    begin
      if noted is null or noted = '' then return null; end if;
      perform set_config('kiln.read_models', '', true);
      insert into read_model_versions (application, version)
        select a, 1 from (select distinct unnest(string_to_array(noted, E'\\n')) as a) x where a <> '' order by a
        on conflict (application) do update set version = read_model_versions.version + 1;
      return null;
    end $$;

    create constraint trigger applications_read_model_flush after insert or update or delete on applications
      deferrable initially deferred for each row execute function kiln_flush_read_models();
    create constraint trigger server_groups_read_model_flush after insert or update or delete on server_groups
      deferrable initially deferred for each row execute function kiln_flush_read_models();
    create constraint trigger instances_read_model_flush after insert or update or delete on instances
      deferrable initially deferred for each row execute function kiln_flush_read_models();
  `,
};
