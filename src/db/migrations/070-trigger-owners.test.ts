import { afterEach, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../migrate';
import { openTestDatabase, testDriver, type TestDatabase } from '../test-database';
import { createRepositories } from '../repositories';
import { can } from '../../shared/domain/user';

const opened: TestDatabase[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
});

describe(`trigger owners migration (${testDriver()})`, () => {
  it('takes the blanket EXECUTE from the trigger service account of an existing install, keeping the account and what an admin granted', async () => {
    const test = await openTestDatabase({ migrate: false });
    opened.push(test);
    await migrate(
      test.db,
      MIGRATIONS.filter((m) => m.version < 70),
    );
    const repos = createRepositories(test.db);
    // An admin had also given the role one application by name: that stays.
    await test.db.query(`insert into grants (role, resource_type, resource, permission) values ('triggers', 'application', 'billing', 'EXECUTE')`);
    expect(can(await repos.users.me('kiln-trigger'), 'EXECUTE', { application: 'web' })).toBe(true);

    await migrate(test.db);
    const account = await repos.users.me('kiln-trigger');
    expect(account?.user).toMatchObject({ name: 'kiln-trigger', serviceAccount: true });
    expect(can(account, 'EXECUTE', { application: 'web' })).toBe(false);
    expect(can(account, 'EXECUTE', { application: 'billing' })).toBe(true);
  });
});
