import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { listApplications } from '../../../shared/api/applications';
import type { Pipeline } from '../../../shared/domain/pipeline';
import { can } from '../../../shared/domain/user';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { apiFetch } from '../../lib/api-client';
import { useMe } from '../../lib/auth-queries';
import { paths } from '../../lib/paths';
import { queryKeys } from '../../lib/query-keys';
import { DuplicateDone } from './duplicate-done';
import { PipelineFormDialog } from './pipeline-form-dialog';
import { mutationError, useDeletePipeline, useDuplicatePipeline, useRenamePipeline } from './pipeline-mutations';

type Open = 'menu' | 'rename' | 'duplicate' | 'delete' | undefined;

/** Rename, duplicate and delete for one pipeline of the list, behind a "Manage" menu. */
export function PipelineRowActions({ pipeline }: { pipeline: Pipeline }) {
  const me = useMe();
  const [open, setOpen] = useState<Open>();
  const menu = useRef<HTMLDivElement>(null);
  const mayWrite = can(me, 'WRITE', { application: pipeline.application });
  const rename = useRenamePipeline(pipeline.application);
  const duplicate = useDuplicatePipeline();
  const remove = useDeletePipeline(pipeline.application);
  // Only what the user may copy into: applications they can read, narrowed to those they may WRITE.
  const applications = useQuery({
    queryKey: queryKeys.applications.list({}),
    queryFn: ({ signal }) => apiFetch(listApplications, { query: {}, signal }),
    enabled: open === 'duplicate',
  });
  const targets = [...new Set([pipeline.application, ...(applications.data ?? []).map((a) => a.name)])].filter((a) => can(me, 'WRITE', { application: a })).sort();
  const [target, setTarget] = useState<string>(pipeline.application);

  useEffect(() => {
    if (open !== 'menu') return;
    const away = (e: MouseEvent) => !menu.current?.contains(e.target as Node) && setOpen(undefined);
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);

  const item = 'block w-full rounded px-3 py-1.5 text-left text-sm hover:bg-zinc-100 disabled:opacity-50 dark:hover:bg-zinc-800 max-md:py-3';
  const close = () => {
    setOpen(undefined);
    rename.reset();
    duplicate.reset();
    remove.reset();
  };
  return (
    <div ref={menu} className="relative" onKeyDown={(e) => e.key === 'Escape' && open === 'menu' && setOpen(undefined)}>
      <Button
        size="sm"
        className="whitespace-nowrap"
        aria-haspopup="menu"
        aria-expanded={open === 'menu'}
        aria-label={`Manage ${pipeline.name}`}
        onClick={() => setOpen(open === 'menu' ? undefined : 'menu')}
      >
        Manage ▾
      </Button>
      {open === 'menu' && (
        <div
          role="menu"
          aria-label={`Manage ${pipeline.name}`}
          className="absolute right-0 z-30 mt-1 w-44 rounded-md border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <button role="menuitem" type="button" className={item} disabled={!mayWrite} onClick={() => setOpen('rename')}>
            Rename…
          </button>
          <button role="menuitem" type="button" className={item} onClick={() => setOpen('duplicate')}>
            Duplicate…
          </button>
          <button role="menuitem" type="button" className={`${item} text-red-700 dark:text-red-400`} disabled={!mayWrite} onClick={() => setOpen('delete')}>
            Delete…
          </button>
        </div>
      )}
      {open === 'rename' && (
        <PipelineFormDialog
          title={`Rename ${pipeline.name}`}
          submitLabel="Rename"
          initialName={pipeline.name}
          busy={rename.isPending}
          error={mutationError(rename.error)}
          onSubmit={(name) => rename.mutate({ pipelineId: pipeline.id, name }, { onSuccess: close })}
          onClose={close}
        >
          Past executions keep the name they ran under; other pipelines that run this one by name follow the new name.
        </PipelineFormDialog>
      )}
      {open === 'duplicate' &&
        (duplicate.data ? (
          <DuplicateDone result={duplicate.data} onClose={close} />
        ) : (
          <PipelineFormDialog
            title={`Duplicate ${pipeline.name}`}
            submitLabel="Duplicate"
            initialName=""
            namePlaceholder={`${pipeline.name} (copy)`}
            applications={{ value: target, options: targets.length ? targets : [pipeline.application], onChange: setTarget }}
            busy={duplicate.isPending}
            error={mutationError(duplicate.error)}
            onSubmit={(name) => duplicate.mutate({ pipelineId: pipeline.id, application: target, name })}
            onClose={close}
          >
            The copy&apos;s triggers start disabled; a webhook trigger gets a new secret, shown once.
          </PipelineFormDialog>
        ))}
      {open === 'delete' && (
        <ConfirmDialog
          title={`Delete ${pipeline.name}?`}
          confirmLabel="Delete pipeline"
          typeToConfirm={pipeline.name}
          busy={remove.isPending}
          error={mutationError(remove.error)}
          onConfirm={() => remove.mutate(pipeline.id, { onSuccess: close })}
          onClose={close}
        >
          The pipeline and its revisions go. Its past executions stay readable (
          <Link className="underline" to={paths.applicationExecutions(pipeline.application)}>
            executions
          </Link>
          ), marked as of a deleted pipeline.
        </ConfirmDialog>
      )}
    </div>
  );
}
