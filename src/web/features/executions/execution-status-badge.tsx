import type { ExecutionStatus } from '../../../shared/domain/execution';
import { Badge, type BadgeTone } from '../../components/badge';

const LOOK: Record<ExecutionStatus, { label: string; tone: BadgeTone }> = {
  NOT_STARTED: { label: 'Not started', tone: 'neutral' },
  BUFFERED: { label: 'Queued', tone: 'neutral' },
  RUNNING: { label: 'Running', tone: 'blue' },
  PAUSED: { label: 'Paused', tone: 'amber' },
  SUSPENDED: { label: 'Waiting', tone: 'violet' },
  SUCCEEDED: { label: 'Succeeded', tone: 'green' },
  FAILED_CONTINUE: { label: 'Failed (ignored)', tone: 'amber' },
  TERMINAL: { label: 'Failed', tone: 'red' },
  CANCELED: { label: 'Canceled', tone: 'neutral' },
  SKIPPED: { label: 'Skipped', tone: 'neutral' },
  STOPPED: { label: 'Stopped', tone: 'red' },
};

export const statusLabel = (status: ExecutionStatus) => LOOK[status].label;

export function ExecutionStatusBadge({ status }: { status: ExecutionStatus }) {
  const look = LOOK[status];
  return (
    <Badge tone={look.tone} title={status}>
      {status === 'RUNNING' && <span aria-hidden="true" className="size-1.5 animate-pulse rounded-full bg-current" />}
      {look.label}
    </Badge>
  );
}
