import { useId, useState } from 'react';
import type { ImageDetail } from '../../../shared/domain/image';
import { Button } from '../../components/button';
import { RelativeTime } from '../../components/relative-time';
import { ApiRequestError } from '../../lib/api-client';
import type { useImageMutations } from './image-mutations';
import { useMe } from '../../lib/auth-queries';

/** Channels now, a form to move one, and the history of every move. */
export function ChannelPanel({ detail, assign }: { detail: ImageDetail; assign: ReturnType<typeof useImageMutations>['assign'] }) {
  // Changing the registry is for admins (see the BFF's access rules).
  const admin = useMe()?.user.admin ?? false;
  const ids = { channel: useId(), version: useId() };
  const [channel, setChannel] = useState('production');
  // A revoked version cannot go on a channel (the registry refuses it): start from the newest that can.
  const [version, setVersion] = useState(detail.versions.find((v) => !v.revoked)?.version ?? '');
  const error = assign.error instanceof ApiRequestError ? assign.error.message : assign.error ? String(assign.error) : undefined;
  return (
    <div className="flex flex-col gap-3">
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          assign.mutate({ channel: channel.trim(), version });
        }}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.channel} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
            Channel
          </label>
          <input
            id={ids.channel}
            value={channel}
            onChange={(e) => setChannel(e.target.value)}
            className="h-8 w-40 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.version} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
            Version
          </label>
          <select
            id={ids.version}
            value={version}
            onChange={(e) => setVersion(e.target.value)}
            className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          >
            {detail.versions.map((v) => (
              <option key={v.version} value={v.version} disabled={v.revoked}>
                {v.version}
                {v.revoked ? ' (revoked: no channel)' : ''}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" disabled={assign.isPending || !channel.trim() || !admin} title={admin ? undefined : 'Only an admin may move image channels.'}>
          {assign.isPending ? 'Assigning…' : 'Assign channel'}
        </Button>
        {error && (
          <p role="alert" className="w-full text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        )}
      </form>
      {detail.history.length > 0 && (
        <ol aria-label="Channel history" className="flex flex-col gap-1 text-sm">
          {detail.history.map((h) => (
            <li key={`${h.channel}-${h.at}-${h.version}`} className="text-zinc-700 dark:text-zinc-300">
              <span className="font-medium">{h.channel}</span>: {h.previous ? <span className="font-mono text-xs">{h.previous} → </span> : null}
              <span className="font-mono text-xs">{h.version}</span>
              <span className="text-zinc-500">
                {' '}
                · {h.by}, <RelativeTime iso={h.at} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
