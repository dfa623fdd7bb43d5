import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { ImageFlag } from '../../../shared/api/images';
import { paths } from '../../lib/paths';
import type { ServerGroupRef } from '../../lib/query-keys';
import { imageFlagsQuery } from './cluster-queries';

/** The flag of one server group's image, from the application's flag list (one request for the whole board). */
export function useImageFlag(application: string, ref: ServerGroupRef): ImageFlag | undefined {
  const { data } = useQuery(imageFlagsQuery(application));
  return data?.find((f) => f.account === ref.account && f.region === ref.region && f.serverGroup === ref.name);
}

const TONE = {
  revoked: 'text-red-700 dark:text-red-400',
  'out-of-date': 'text-amber-700 dark:text-amber-400',
} as const;

function WarningIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5 shrink-0 fill-current">
      <path d="M8 1.5 15 14H1L8 1.5Zm-.75 4.5v4h1.5V6h-1.5Zm0 5v1.5h1.5V11h-1.5Z" />
    </svg>
  );
}

/** One line on a server-group card; the card is a link, so this holds no link of its own. */
export function ImageFlagLine({ application, serverGroup }: { application: string; serverGroup: ServerGroupRef }) {
  const flag = useImageFlag(application, serverGroup);
  if (!flag) return null;
  return (
    <p className={`flex items-start gap-1 text-[11px] leading-4 font-medium ${TONE[flag.kind]}`} title={flag.message}>
      <WarningIcon />
      <span className="line-clamp-2">{flag.message}</span>
    </p>
  );
}

/** The same flag in the details panel, in full, with the way to the image's registry page. */
export function ImageFlagCallout({ application, serverGroup }: { application: string; serverGroup: ServerGroupRef }) {
  const flag = useImageFlag(application, serverGroup);
  if (!flag) return null;
  const box =
    flag.kind === 'revoked' ? 'border-red-300 bg-red-50 dark:border-red-500/40 dark:bg-red-500/10' : 'border-amber-300 bg-amber-50 dark:border-amber-400/40 dark:bg-amber-400/10';
  return (
    <div role="status" aria-label="Image warning" className={`flex items-start gap-2 rounded-md border px-3 py-2 text-sm ${box} ${TONE[flag.kind]}`}>
      <span className="pt-0.5">
        <WarningIcon />
      </span>
      <div className="min-w-0">
        <p className="font-medium break-words">
          {flag.image.name}:{flag.image.version} — {flag.message}
        </p>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          {flag.kind === 'revoked'
            ? 'Deploy a version that is not revoked; new deploys of this one are refused without an override.'
            : `Deploy ${flag.image.name}:${flag.target ?? 'the newer version'} to bring this group up to date.`}{' '}
          <Link to={paths.image(flag.image.name)} className="underline underline-offset-2 hover:text-zinc-900 dark:hover:text-zinc-100">
            Open {flag.image.name} in the registry
          </Link>
        </p>
      </div>
    </div>
  );
}
