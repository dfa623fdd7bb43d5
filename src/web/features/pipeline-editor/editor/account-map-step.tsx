import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../../../components/button';
import { inputClasses } from '../../../components/auth-card';
import { accountsQuery } from '../../../lib/accounts-query';
import { EditorDialog } from './editor-dialog';

interface AccountMapStepProps {
  fileName: string;
  /** Spinnaker account names the pipeline uses. */
  accounts: string[];
  onImport: (map: Record<string, string>) => void;
  onCancel: () => void;
}

/**
 * The UI's `--account-map`: each Spinnaker account the pipeline names, with a select of Kiln's
 * accounts (one of the same name is picked for you); "keep the name" imports it unchanged and the
 * report says so.
 */
export function AccountMapStep({ fileName, accounts, onImport, onCancel }: AccountMapStepProps) {
  const kiln = useQuery(accountsQuery());
  const names = (kiln.data ?? []).map((a) => a.name as string);
  const [map, setMap] = useState<Record<string, string>>({});
  const chosen = (spinnaker: string) => map[spinnaker] ?? (names.includes(spinnaker) ? spinnaker : '');
  const submit = () => onImport(Object.fromEntries(accounts.flatMap((a) => (chosen(a) ? [[a, chosen(a)]] : []))));
  return (
    <EditorDialog title={`Map the accounts of ${fileName}`} onClose={onCancel}>
      <p className="text-sm">Spinnaker accounts this pipeline deploys to or acts on, and the Kiln account each becomes:</p>
      <table className="text-sm">
        <tbody>
          {accounts.map((a) => (
            <tr key={a}>
              <td className="py-1 pr-3 font-mono">{a}</td>
              <td>
                <select aria-label={`Kiln account for ${a}`} className={`${inputClasses} w-56`} value={chosen(a)} onChange={(e) => setMap({ ...map, [a]: e.target.value })}>
                  <option value="">(keep the name {a})</option>
                  {names.map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {kiln.isError && <p className="text-sm text-red-700 dark:text-red-400">Kiln's accounts could not be loaded: {kiln.error.message}</p>}
      <div className="flex justify-end gap-2">
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <Button variant="primary" onClick={submit}>
          Import
        </Button>
      </div>
    </EditorDialog>
  );
}
