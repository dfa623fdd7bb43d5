import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { AdminTable } from '../../components/admin-table';
import { PageHeader } from '../../components/page-header';
import { RelativeTime } from '../../components/relative-time';
import { SearchInput } from '../../components/search-input';
import { auditQuery } from '../../features/auth/admin-queries';

const HEADERS = ['When', 'Who', 'Action', 'Target', 'Result', 'From'];

/** Every change made through Kiln, newest first; the search is in the URL so a finding can be shared. */
export function AuditPage() {
  const [search, setSearch] = useSearchParams();
  const q = search.get('q') ?? '';
  const audit = useQuery(auditQuery(q ? { q } : {}));
  return (
    <>
      <PageHeader title="Audit log" description="Who changed what, when and from where. Entries cannot be edited or deleted." />
      <SearchInput
        label="Search the audit log"
        value={q}
        onChange={(value) => setSearch(value ? { q: value } : {}, { replace: true })}
        placeholder="actor, action, target or detail"
      />
      <AdminTable headers={HEADERS}>
        {audit.data?.entries.map((e) => (
          <tr key={e.id} className="align-baseline">
            <td className="py-1.5 whitespace-nowrap">
              <RelativeTime iso={e.at} />
            </td>
            <td className="font-mono text-xs">{e.actor}</td>
            <td className="font-mono text-xs">{e.action}</td>
            <td className="font-mono text-xs break-all">{e.target}</td>
            <td className={e.status < 400 ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}>{e.status}</td>
            <td className="text-xs text-zinc-500">{e.ip}</td>
          </tr>
        ))}
      </AdminTable>
      {audit.data?.entries.length === 0 && <p className="text-sm text-zinc-500">Nothing matches.</p>}
    </>
  );
}
