import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { login } from '../../../shared/api/auth';
import { Button, buttonClasses } from '../../components/button';
import { apiFetch } from '../../lib/api-client';
import { paths } from '../../lib/paths';
import { queryKeys } from '../../lib/query-keys';
import { AuthCard, Field, FormError, inputClasses } from '../../components/auth-card';
import { meQuery, signInOptionsQuery } from '../../lib/auth-queries';

/** Only a path on this site: `next` must not send a person elsewhere after signing in. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : paths.projects();
}

export function SignInPage() {
  const [search] = useSearchParams();
  const next = safeNext(search.get('next'));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useQuery(meQuery());
  const options = useQuery(signInOptionsQuery()).data;
  const sso = options?.sso;
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () => apiFetch(login, { body: { name, password } }),
    onSuccess: async (who) => {
      // Everything cached belonged to nobody (or someone else): start clean as this user.
      queryClient.clear();
      queryClient.setQueryData(queryKeys.auth.me(), who);
      await navigate(next, { replace: true });
    },
  });
  if (me.data) return <Navigate to={next} replace />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate();
  };
  return (
    <AuthCard
      title="Sign in"
      subtitle={
        sso
          ? `Use your ${sso.name} account, or a Kiln account an admin gave you. Scripts and the CLI use API tokens.`
          : 'Use the account an admin gave you. Scripts and the CLI use API tokens instead.'
      }
    >
      {options?.setupPending && (
        <div role="note" className="mb-4 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-950 dark:border-sky-400/30 dark:bg-sky-500/10 dark:text-sky-100">
          <p className="font-medium">First start: no admin yet</p>
          <p className="mt-1">
            Kiln printed a one-time setup link in its log (the terminal running <code>npm start</code>, or the service&apos;s log), on the line <q>No admin yet. Create one…</q>.
            Open it to create the first admin; restarting Kiln prints a fresh one.
          </p>
        </div>
      )}
      {sso && (
        <>
          {/* A plain link, not a form: the BFF answers with a redirect to the provider, which a form's CSP form-action would block. */}
          <a href={`${sso.loginPath}?${new URLSearchParams({ next })}`} className={`${buttonClasses('primary')} h-9 w-full`}>
            Sign in with {sso.name}
          </a>
          <div className="my-4 flex items-center gap-3 text-xs text-zinc-500 dark:text-zinc-400" aria-hidden="true">
            <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
            or with a Kiln account
            <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
          </div>
        </>
      )}
      <form className="flex flex-col gap-3" onSubmit={submit}>
        <Field label="Name">
          <input className={inputClasses} name="name" autoComplete="username" autoFocus required value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Password">
          <input className={inputClasses} name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <FormError message={signIn.error?.message} />
        <Button variant={sso ? 'secondary' : 'primary'} type="submit" disabled={signIn.isPending} className="mt-1 h-9">
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
    </AuthCard>
  );
}
