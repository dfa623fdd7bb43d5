import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { login } from '../../../shared/api/auth';
import { Button } from '../../components/button';
import { apiFetch } from '../../lib/api-client';
import { paths } from '../../lib/paths';
import { queryKeys } from '../../lib/query-keys';
import { AuthCard, Field, FormError, inputClasses } from './auth-card';
import { meQuery } from './auth-queries';

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
    <AuthCard title="Sign in" subtitle="Use the account an admin gave you. Scripts and the CLI use API tokens instead.">
      <form className="flex flex-col gap-3" onSubmit={submit}>
        <Field label="Name">
          <input className={inputClasses} name="name" autoComplete="username" autoFocus required value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Password">
          <input className={inputClasses} name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <FormError message={signIn.error?.message} />
        <Button variant="primary" type="submit" disabled={signIn.isPending} className="mt-1 h-9">
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
    </AuthCard>
  );
}
