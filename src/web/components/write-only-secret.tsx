import { useState } from 'react';
import { Button } from './button';
import { SecretInput } from './secret-input';

/** What the API says of a stored secret: when and by whom it was set, never the value. */
export interface StoredSecret {
  setAt: string;
  setBy: string;
}

/**
 * A stored secret in an admin list: "set on <day> by <who>" or "none", and Set / Replace, which
 * opens an empty secret input. It closes once `save` resolves; a refused save keeps what was typed
 * (the caller shows the error).
 */
export function WriteOnlySecret({
  label,
  stored,
  save,
  saving,
  replaceable = true,
}: {
  /** Names the new-secret input, e.g. "New token for ci". */
  label: string;
  stored: StoredSecret | undefined;
  save: (secret: string) => Promise<unknown>;
  saving: boolean;
  /** False where the thing has no secret to set (a local account). */
  replaceable?: boolean;
}) {
  const [typed, setTyped] = useState<string | undefined>(undefined);
  return (
    <div className="flex flex-wrap items-center gap-2">
      {stored ? <span>{`Set on ${stored.setAt.slice(0, 10)} by ${stored.setBy}`}</span> : <span className="text-zinc-500">none</span>}
      {replaceable &&
        (typed === undefined ? (
          <Button size="sm" onClick={() => setTyped('')}>
            {stored ? 'Replace' : 'Set'}
          </Button>
        ) : (
          <form
            className="flex items-center gap-1"
            onSubmit={(e) => {
              e.preventDefault();
              save(typed).then(
                () => setTyped(undefined),
                () => undefined,
              );
            }}
          >
            <SecretInput label={label} className="h-7 w-40" value={typed} onChange={(e) => setTyped(e.target.value)} required />
            <Button size="sm" variant="primary" type="submit" disabled={saving}>
              Save token
            </Button>
            <Button size="sm" onClick={() => setTyped(undefined)}>
              Cancel
            </Button>
          </form>
        ))}
    </div>
  );
}
