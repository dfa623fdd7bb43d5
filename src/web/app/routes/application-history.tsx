import { useParams } from 'react-router';
import { HistoryView } from '../../features/history/history-view';

/** An application's deployment history; "what ran in production on date X" is one date away. */
export function ApplicationHistoryPage() {
  const { application = '' } = useParams();
  return (
    <>
      <title>{`History · ${application} · Kiln`}</title>
      <HistoryView application={application} />
    </>
  );
}
