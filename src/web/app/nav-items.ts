import { paths } from '../lib/paths';

/** The main navigation, shared by the top bar and the phone menu so neither misses a page. */
export const NAV = [
  { label: 'Projects', to: paths.projects() },
  { label: 'Applications', to: paths.applications() },
  { label: 'Running now', to: paths.runningNow() },
  { label: 'History', to: paths.history() },
  { label: 'Images', to: paths.images() },
  { label: 'Approvals', to: paths.approvals(), badge: true },
] as const;
