import { PageHeader } from '../../components/page-header';
import { HistoryView } from '../../features/history/history-view';

/** Support's question across applications: what ran where, and when — only applications the user may read. */
export function HistoryPage() {
  return (
    <div className="flex flex-col gap-4">
      <title>History · Kiln</title>
      <PageHeader
        title="Deployment history"
        description="Every server group ever deployed, destroyed ones included, across the applications you can read. Pick an environment and a moment to see what ran then."
      />
      <HistoryView application={undefined} />
    </div>
  );
}
