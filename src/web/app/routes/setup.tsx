import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { setupAdmin } from '../../../shared/api/auth';
import { Button } from '../../components/button';
import { apiFetch } from '../../lib/api-client';
import { paths } from '../../lib/paths';
import { queryKeys } from '../../lib/query-keys';
import { AuthCard, Field, FormError, inputClasses } from '../../components/auth-card';

/**
 * The first admin, created with the one-time link Kiln printed at its first start. The token is in
 * the URL's fragment, which browsers never send to servers or put in Referer headers.
 */
export function SetupPage() {
  const { hash } = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const token = new URLSearchParams(hash.slice(1)).get('token') ?? '';
  const [form, setForm] = useState({ name: '', displayName: '', password: '', repeat: '' });
  const [mismatch, setMismatch] = useState(false);
  const create = useMutation({
    mutationFn: () => apiFetch(setupAdmin, { body: { token, name: form.name, displayName: form.displayName, password: form.password } }),
    onSuccess: async (me) => {
      queryClient.clear();
      queryClient.setQueryData(queryKeys.auth.me(), me);
      await navigate(paths.projects(), { replace: true });
    },
  });
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMismatch(form.password !== form.repeat);
    if (form.password === form.repeat) create.mutate();
  };
  if (!token) {
    return (
      <AuthCard title="Set up Kiln" subtitle="Open the setup link Kiln printed when it started for the first time; it holds a one-time token.">
        <FormError message="This page needs the link with its token (…/setup#token=…)." />
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Create the first admin" subtitle="This account manages users and roles. The link works once.">
      <form className="flex flex-col gap-3" onSubmit={submit}>
        <Field label="Name" hint="2–40 characters: a–z, 0–9, . _ -">
          <input className={inputClasses} name="name" autoComplete="username" required value={form.name} onChange={set('name')} />
        </Field>
        <Field label="Display name">
          <input className={inputClasses} name="displayName" required value={form.displayName} onChange={set('displayName')} />
        </Field>
        <Field label="Password" hint="At least 12 characters">
          <input className={inputClasses} name="password" type="password" autoComplete="new-password" required value={form.password} onChange={set('password')} />
        </Field>
        <Field label="Repeat password">
          <input className={inputClasses} name="repeat" type="password" autoComplete="new-password" required value={form.repeat} onChange={set('repeat')} />
        </Field>
        <FormError message={mismatch ? 'The two passwords differ.' : create.error?.message} />
        <Button variant="primary" type="submit" disabled={create.isPending} className="mt-1 h-9">
          {create.isPending ? 'Creating…' : 'Create admin and sign in'}
        </Button>
      </form>
    </AuthCard>
  );
}
