import type { Migration } from '../migrate';

/**
 * A version per application, bumped in the same transaction by every write to what its clusters view
 * and its line of the applications list show (the application, its server groups, their instances).
 * The BFF caches those read models and compares the version on each request, so a change is seen at
 * the next request after its commit, by every Kiln process on the database. Triggers, because the
 * writers are many (routes, engine stages, the local cloud's health checks) and the event log only
 * carries executions. Rows are never deleted, so the sum of all versions only grows: it is the
 * applications list's version.
 */
export const readModelVersionsSchema: Migration = {
  version: 196,
  name: 'read model versions',
  up: /* sql */ `
    create table read_model_versions (
      application text primary key,
      version bigint not null
    );
    insert into read_model_versions (application, version) select name, 1 from applications;

    create function kiln_bump_read_model(app text) returns void language sql as $$
      insert into read_model_versions (application, version) values (app, 1)
      on conflict (application) do update set version = read_model_versions.version + 1;
    $$;

    create function kiln_application_changed() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' then perform kiln_bump_read_model(old.name); end if;
      if tg_op <> 'DELETE' and (tg_op = 'INSERT' or new.name is distinct from old.name) then perform kiln_bump_read_model(new.name); end if;
      return null;
    end $$;
    create trigger applications_read_model after insert or update or delete on applications
      for each row execute function kiln_application_changed();

    create function kiln_server_group_changed() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' then perform kiln_bump_read_model(old.application); end if;
      if tg_op <> 'DELETE' and (tg_op = 'INSERT' or new.application is distinct from old.application) then perform kiln_bump_read_model(new.application); end if;
      return null;
    end $$;
    create trigger server_groups_read_model after insert or update or delete on server_groups
      for each row execute function kiln_server_group_changed();

    -- Per statement, with the changed rows as a table: replacing a group's 50 instances bumps its
    -- application once, not 50 times.
    create function kiln_instances_changed() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        perform kiln_bump_read_model(a) from (select distinct sg.application as a from changed_old c
          join server_groups sg on (sg.account, sg.region, sg.name) = (c.account, c.region, c.server_group)) x;
      else
        perform kiln_bump_read_model(a) from (select distinct sg.application as a from changed_new c
          join server_groups sg on (sg.account, sg.region, sg.name) = (c.account, c.region, c.server_group)) x;
      end if;
      return null;
    end $$;
    create trigger instances_inserted_read_model after insert on instances
      referencing new table as changed_new for each statement execute function kiln_instances_changed();
    create trigger instances_updated_read_model after update on instances
      referencing new table as changed_new for each statement execute function kiln_instances_changed();
    create trigger instances_deleted_read_model after delete on instances
      referencing old table as changed_old for each statement execute function kiln_instances_changed();
  `,
};
