import { FormError } from '../../components/auth-card';
import { Button } from '../../components/button';

/**
 * The end of an account's in-place editor (metrics, registry): one place for the Save/Cancel pair
 * and the server's refusal, so both editors read and behave alike.
 */
export function EditorActions({
  saveLabel,
  pendingLabel,
  pending,
  error,
  onCancel,
}: {
  saveLabel: string;
  pendingLabel: string;
  pending: boolean;
  error: string | undefined;
  onCancel: () => void;
}) {
  return (
    <>
      <div className="flex gap-1">
        <Button size="sm" variant="primary" type="submit" disabled={pending}>
          {pending ? pendingLabel : saveLabel}
        </Button>
        <Button size="sm" onClick={onCancel}>
          Cancel
        </Button>
      </div>
      <FormError message={error} />
    </>
  );
}
