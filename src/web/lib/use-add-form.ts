import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

/** "a, b,,c" → ['a', 'b', 'c']: how the admin forms take a list typed into one field. */
export const commaList = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The "add one" form under an admin list: a draft, `set(field)` for its inputs, and `submit`, which sends
 * the draft, empties the form only once the server took it (a refused one keeps what was typed, so the
 * user fixes the field the error names) and refreshes the list under `refresh`. `onAdded` gets the
 * server's answer, for what is shown only once (a new token's secret).
 */
export function useAddForm<D extends object, R = unknown>(empty: D, send: (draft: D) => Promise<R>, refresh: QueryKey, onAdded?: (added: R) => void) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(empty);
  const create = useMutation({
    mutationFn: () => send(draft),
    onSuccess: async (added) => {
      onAdded?.(added);
      setDraft(empty);
      await queryClient.invalidateQueries({ queryKey: refresh });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const set = (k: keyof D) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  return { draft, setDraft, set, submit, create };
}
