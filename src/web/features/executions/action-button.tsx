import { useState, type ReactNode } from 'react';
import type { z } from 'zod';
import type { Endpoint } from '../../../shared/api/endpoint';
import type { Execution } from '../../../shared/domain/execution';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useExecutionAction } from '../../lib/use-execution-action';
import { usePermission } from '../../lib/auth-queries';

interface ActionButtonProps<E extends Endpoint<z.ZodType, z.ZodType, z.ZodType, z.ZodType<Execution>>> {
  label: string;
  /** Acting needs EXECUTE on it; without, the button is disabled and says why. */
  application: string;
  endpoint: E;
  params: z.input<E['params']>;
  title: string;
  question: ReactNode;
  /** Ask for a reason and send it as `{ reason }`; otherwise the body is `{}`. */
  withReason?: boolean;
  /** The reason may be left empty (then none is sent). */
  reasonOptional?: boolean;
  /** Why the server would refuse (a shared rule said so): the button is disabled and says this. */
  refusal?: string | undefined;
}

/** A button that asks first (with a reason when the action records one), then acts. */
export function ActionButton<E extends Endpoint<z.ZodType, z.ZodType, z.ZodType, z.ZodType<Execution>>>({
  label,
  application,
  endpoint,
  params,
  title,
  question,
  withReason = false,
  reasonOptional = false,
  refusal,
}: ActionButtonProps<E>) {
  const [open, setOpen] = useState(false);
  const action = useExecutionAction(endpoint, params);
  const permission = usePermission('EXECUTE', { application });
  return (
    <>
      <Button size="sm" onClick={() => setOpen(true)} disabled={!permission.allowed || refusal !== undefined} title={permission.why || refusal || undefined}>
        {label}
      </Button>
      {open && (
        <ConfirmDialog
          title={title}
          confirmLabel={label}
          reasonLabel={withReason ? 'Reason' : undefined}
          reasonRequired={withReason && !reasonOptional}
          busy={action.isPending}
          error={action.error?.message}
          onClose={() => {
            action.reset();
            setOpen(false);
          }}
          onConfirm={(reason) => action.mutate((withReason && reason ? { reason } : {}) as z.input<E['body']>, { onSuccess: () => setOpen(false) })}
        >
          {question}
        </ConfirmDialog>
      )}
    </>
  );
}
