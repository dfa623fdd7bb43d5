import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { z } from 'zod';
import type { duplicatePipeline } from '../../../shared/api/pipelines';
import { Button, buttonClasses } from '../../components/button';
import { ModalForm } from '../../components/modal-form';
import { paths } from '../../lib/paths';

type Result = z.output<(typeof duplicatePipeline)['response']>;

/** What a copy became: where it is, the new webhook secrets (this is the only time they are shown), what stayed behind. */
export function DuplicateDone({ result, onClose }: { result: Result; onClose: () => void }) {
  const open = useRef<HTMLAnchorElement>(null);
  useEffect(() => open.current?.focus(), []);
  const { pipeline, webhookSecrets, notCopied } = result;
  return (
    <ModalForm
      title={`Copied to ${pipeline.application}/${pipeline.name}`}
      onClose={onClose}
      actions={
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Close</Button>
          <Link ref={open} className={buttonClasses('primary')} to={paths.pipelineEditor(pipeline.application, pipeline.id)}>
            Open the copy
          </Link>
        </div>
      }
    >
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Its triggers are disabled until someone with EXECUTE turns them on.</p>
      {webhookSecrets.length > 0 && (
        <div className="flex flex-col gap-1">
          <p className="text-sm font-medium">New webhook secret{webhookSecrets.length === 1 ? '' : 's'} — copy now, it is not shown again:</p>
          {webhookSecrets.map((s) => (
            <output key={s.triggerId} aria-label="New webhook secret" className="block rounded bg-zinc-100 px-2 py-1 font-mono text-xs break-all dark:bg-zinc-800">
              {s.secret}
            </output>
          ))}
        </div>
      )}
      {notCopied.length > 0 && (
        <div className="text-sm text-amber-800 dark:text-amber-300">
          <p>Not copied into another application:</p>
          <ul className="list-disc pl-5">
            {notCopied.map((what) => (
              <li key={what}>{what}</li>
            ))}
          </ul>
        </div>
      )}
    </ModalForm>
  );
}
