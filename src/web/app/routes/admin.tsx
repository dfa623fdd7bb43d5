import { PageHeader } from '../../components/page-header';
import { RolesAdmin } from '../../features/auth/roles-admin';
import { UsersAdmin } from '../../features/auth/users-admin';

export function AdminPage() {
  return (
    <>
      <PageHeader
        title="Users and roles"
        description="Roles grant READ (see), WRITE (edit pipelines) and EXECUTE (run pipelines, change server groups) per application and per account; '*' means all. Admins may do everything."
      />
      <UsersAdmin />
      <RolesAdmin />
    </>
  );
}
