import type { ImageVersion } from '../../../shared/domain/image';

/** The commit and CI build that produced a version, so "what runs there" answers "which code". */
export function BuildOrigin({ build }: { build: ImageVersion['build'] }) {
  const commit = build.git?.commit;
  if (!commit && build.buildNumber === undefined && !build.ciRunUrl) return null;
  const label = build.buildNumber !== undefined ? `build #${build.buildNumber}` : 'CI build';
  return (
    <span className="ml-1 font-mono text-xs text-zinc-500">
      {commit && <span title={build.git?.ref ?? ''}>@{commit.slice(0, 10)}</span>}
      {(build.buildNumber !== undefined || build.ciRunUrl) && (
        <>
          {commit && ' · '}
          {build.ciRunUrl && /^https?:\/\//.test(build.ciRunUrl) ? (
            <a className="underline" href={build.ciRunUrl} rel="noreferrer noopener" target="_blank">
              {label}
            </a>
          ) : (
            label
          )}
        </>
      )}
    </span>
  );
}
