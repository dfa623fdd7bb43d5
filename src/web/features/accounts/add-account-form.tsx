import { createAccount } from '../../../shared/api/accounts';
import { Environment } from '../../../shared/domain/account';
import { Button } from '../../components/button';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';
import { commaList, useAddForm } from '../../lib/use-add-form';
import { FormError, inputClasses } from '../../components/auth-card';
import { SecretInput } from '../../components/secret-input';
import { RegistryFields, registryLoginOf } from './registry-fields';

const EMPTY = {
  name: '',
  provider: 'local' as 'local' | 'docker' | 'qemu' | 'kubernetes',
  environment: 'dev',
  regions: 'local',
  dockerHost: '',
  tls: false,
  token: '',
  kubeconfig: '',
  context: '',
  registry: '',
  registryUser: '',
  registryPassword: '',
};

const endpointOf = (draft: typeof EMPTY) => {
  const registry = draft.registry.trim() ? { registry: draft.registry.trim() } : {};
  if (draft.provider === 'docker') return { dockerHost: draft.dockerHost, ...(draft.tls ? { tls: true } : {}), ...registry };
  if (draft.provider === 'kubernetes') return { ...(draft.context ? { context: draft.context } : {}), ...registry };
  return {};
};

/** The write-only secrets typed for the provider: sent once, never shown again. */
const credentialsOf = (d: typeof EMPTY) => {
  const login = d.registry.trim() ? registryLoginOf(d) : {};
  const own = d.provider === 'docker' && d.token ? { token: d.token } : d.provider === 'kubernetes' && d.kubeconfig ? { kubeconfig: d.kubeconfig } : {};
  const all = { ...own, ...(d.provider === 'docker' || d.provider === 'kubernetes' ? login : {}) };
  return Object.keys(all).length > 0 ? { credentials: all } : {};
};

/** A new account; a docker or kubernetes one is checked by calling its engine or API server before it is stored. */
export function AddAccountForm() {
  const { draft, setDraft, set, submit, create } = useAddForm(
    EMPTY,
    (d) =>
      apiFetch(createAccount, {
        body: {
          name: d.name,
          provider: d.provider,
          environment: d.environment,
          regions: commaList(d.regions),
          endpoint: endpointOf(d),
          ...credentialsOf(d),
        } as never,
      }),
    queryKeys.accounts.all,
  );
  return (
    <form onSubmit={submit} aria-label="Add an account" className="flex flex-col gap-2 rounded-lg border border-dashed border-zinc-300 p-3 dark:border-zinc-700">
      <div className="flex flex-wrap items-end gap-2">
        <input aria-label="Account name" placeholder="name" className={`${inputClasses} w-36`} value={draft.name} onChange={set('name')} required />
        <select aria-label="Provider" className={`${inputClasses} w-28`} value={draft.provider} onChange={set('provider')}>
          <option value="local">local</option>
          <option value="docker">docker</option>
          <option value="qemu">qemu (VMs)</option>
          <option value="kubernetes">kubernetes (experimental)</option>
        </select>
        <select aria-label="Environment" className={`${inputClasses} w-28`} value={draft.environment} onChange={set('environment')}>
          {Environment.options.map((e) => (
            <option key={e} value={e}>
              {e}
            </option>
          ))}
        </select>
        <input
          aria-label={draft.provider === 'kubernetes' ? 'Namespaces' : 'Regions'}
          placeholder={draft.provider === 'kubernetes' ? 'namespaces, comma-separated' : 'regions, comma-separated'}
          className={`${inputClasses} w-52`}
          value={draft.regions}
          onChange={set('regions')}
          required
        />
      </div>
      {draft.provider === 'docker' && (
        <div className="flex flex-wrap items-end gap-2">
          <input
            aria-label="Docker host"
            placeholder="unix:///run/podman/podman.sock or tcp://host:2376"
            className={`${inputClasses} w-96`}
            value={draft.dockerHost}
            onChange={set('dockerHost')}
            required
          />
          <label className="flex items-center gap-1.5 text-sm">
            <input type="checkbox" checked={draft.tls} onChange={(e) => setDraft({ ...draft, tls: e.target.checked })} /> TLS
          </label>
          <SecretInput label="Access token" placeholder="access token (optional, write-only)" className="w-64" value={draft.token} onChange={set('token')} />
          <RegistryFields draft={draft} set={set} />
        </div>
      )}
      {draft.provider === 'kubernetes' && (
        <div className="flex flex-wrap items-end gap-2">
          <textarea
            aria-label="Kubeconfig"
            placeholder="kubeconfig (YAML; write-only, never shown again)"
            autoComplete="off"
            spellCheck={false}
            className={`${inputClasses} h-24 w-96 font-mono text-xs`}
            value={draft.kubeconfig}
            onChange={set('kubeconfig')}
            required
          />
          <input aria-label="Context" placeholder="context (default: current)" className={`${inputClasses} w-48`} value={draft.context} onChange={set('context')} />
          <RegistryFields draft={draft} set={set} />
        </div>
      )}
      <div>
        <Button variant="primary" type="submit" disabled={create.isPending}>
          {create.isPending ? 'Checking…' : 'Add account'}
        </Button>
      </div>
      <FormError message={create.error?.message} />
    </form>
  );
}
