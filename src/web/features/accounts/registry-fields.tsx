import { inputClasses } from '../../components/auth-card';
import { SecretInput } from '../../components/secret-input';

export interface RegistryDraft {
  registry: string;
  registryUser: string;
  registryPassword: string;
}

/** The registry login to send, when a user is typed: the password is sent with it, write-only. */
export const registryLoginOf = (d: RegistryDraft) => (d.registryUser.trim() ? { registryUsername: d.registryUser.trim(), registryPassword: d.registryPassword } : {});

/**
 * Where a docker or kubernetes account pulls images from (Kiln pushes them there first), and the
 * login for it. The password is write-only: the API never sends it back, so the field starts empty.
 */
export function RegistryFields({ draft, set, label = '' }: { draft: RegistryDraft; set: (k: keyof RegistryDraft) => (e: { target: { value: string } }) => void; label?: string }) {
  const named = (what: string) => `${what}${label ? ` of ${label}` : ''}`;
  return (
    <>
      <input aria-label={named('Registry')} placeholder="registry host/path (optional)" className={`${inputClasses} w-56`} value={draft.registry} onChange={set('registry')} />
      <input
        aria-label={named('Registry user')}
        placeholder="registry user"
        autoComplete="off"
        className={`${inputClasses} w-36`}
        value={draft.registryUser}
        onChange={set('registryUser')}
        // A login needs somewhere to log in to.
        disabled={!draft.registry.trim()}
      />
      <SecretInput
        label={named('Registry password')}
        placeholder="password (write-only)"
        className="w-44"
        value={draft.registryPassword}
        onChange={set('registryPassword')}
        required={draft.registryUser.trim() !== ''}
      />
    </>
  );
}
