import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, Navigate, useParams } from 'react-router';
import type { ImageVersion } from '../../../shared/domain/image';
import { buttonClasses } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { DetailSection } from '../../components/detail-section';
import { EmptyState } from '../../components/empty-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeader } from '../../components/page-header';
import { QueryGuard } from '../../components/query-guard';
import { Skeleton } from '../../components/skeleton';
import { ChannelBadges } from '../../features/images/channel-badges';
import { ChannelPanel } from '../../features/images/channel-panel';
import { useImageMutations } from '../../features/images/image-mutations';
import { imageQuery } from '../../features/images/image-queries';
import { ImagePushesTable } from '../../features/images/image-pushes-table';
import { PushToRegistry } from '../../features/images/push-to-registry';
import { ImageUsageTable } from '../../features/images/image-usage-table';
import { ImageVersionsTable } from '../../features/images/image-versions-table';
import { RevokeDialog } from '../../features/images/revoke-dialog';
import { plural } from '../../lib/format';
import { paths } from '../../lib/paths';

export function ImageDetailPage() {
  const { name = '' } = useParams();
  const query = useQuery(imageQuery(name));
  const { revoke, assign, restore, remove, push } = useImageMutations(name);
  const [revoking, setRevoking] = useState<ImageVersion | undefined>();
  const [restoring, setRestoring] = useState<ImageVersion | undefined>();
  const [deleting, setDeleting] = useState<ImageVersion | undefined>();
  // People paste what the cluster cards print (`storefront:v1`): that is the image plus a version.
  if (name.includes(':')) return <Navigate replace to={paths.image(name.slice(0, name.indexOf(':')))} />;

  return (
    <>
      <title>{`${name} · Images · Kiln`}</title>
      <PageHeader
        eyebrow="Image"
        title={name}
        badges={query.data && <ChannelBadges channels={Object.entries(query.data.channels).map(([c, v]) => `${c}→${v}`)} />}
        description={query.data && `${plural(query.data.versions.length, 'version')}; revoking a version revokes every image built on it.`}
      />
      <QueryGuard
        query={query}
        loading={
          <LoadingState label="Loading image…">
            <Skeleton className="h-40" />
          </LoadingState>
        }
        notFound={
          <EmptyState
            title={`No image named '${name}'`}
            action={
              <Link to={paths.images()} className={buttonClasses()}>
                All images
              </Link>
            }
          >
            The registry holds no image of that name: it may never have been built, or the address has a typo.
          </EmptyState>
        }
      >
        {(detail) => (
          <div className="flex flex-col gap-6">
            <DetailSection title="Versions">
              <ImageVersionsTable
                detail={detail}
                onRevoke={(v) => {
                  revoke.reset();
                  setRevoking(v);
                }}
                onRestore={(v) => {
                  restore.reset();
                  setRestoring(v);
                }}
                onDelete={(v) => {
                  remove.reset();
                  setDeleting(v);
                }}
              />
            </DetailSection>
            <DetailSection title="Where it runs">
              <ImageUsageTable detail={detail} />
            </DetailSection>
            <DetailSection title="Pushed to registries">
              <div className="flex flex-col gap-3">
                <ImagePushesTable detail={detail} />
                <PushToRegistry detail={detail} push={push} />
              </div>
            </DetailSection>
            <DetailSection title="Channels">
              <ChannelPanel detail={detail} assign={assign} />
            </DetailSection>
          </div>
        )}
      </QueryGuard>
      {revoking && (
        <RevokeDialog
          target={`${name}:${revoking.version}`}
          busy={revoke.isPending}
          error={revoke.error ? revoke.error.message : undefined}
          onClose={() => setRevoking(undefined)}
          onConfirm={(r) => revoke.mutate({ version: revoking.version, ...r }, { onSuccess: () => setRevoking(undefined) })}
        />
      )}
      {restoring && (
        <ConfirmDialog
          title={`Restore ${name}:${restoring.version}?`}
          confirmLabel="Restore"
          reasonLabel="Why it is safe"
          reasonRequired
          busy={restore.isPending}
          error={restore.error ? restore.error.message : undefined}
          onClose={() => setRestoring(undefined)}
          onConfirm={(reason) => restore.mutate({ version: restoring.version, reason }, { onSuccess: () => setRestoring(undefined) })}
        >
          It was revoked by {restoring.revocation?.by ?? 'someone'}: “{restoring.revocation?.reason ?? ''}”. Restoring lets it be deployed and put on channels again, and lifts the
          revocation of the images built on it. The revocation and your reason stay on record.
        </ConfirmDialog>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${name}:${deleting.version}?`}
          confirmLabel="Delete version"
          typeToConfirm={`${name}:${deleting.version}`}
          busy={remove.isPending}
          error={remove.error ? remove.error.message : undefined}
          onClose={() => setDeleting(undefined)}
          onConfirm={() => remove.mutate({ version: deleting.version }, { onSuccess: () => setDeleting(undefined) })}
        >
          The version leaves the registry and its artifact is removed from this Kiln server (unless another version holds the same bytes). Copies pushed to registries stay there.
          This cannot be undone.
        </ConfirmDialog>
      )}
    </>
  );
}
