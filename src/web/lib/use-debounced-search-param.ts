import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A text box bound to one query-string parameter: the URL stays the source of truth (shareable,
 * back button works), but it is written only after typing pauses, so history and the API are not
 * hit on every key stroke.
 */
export function useDebouncedSearchParam(name: string, delayMs = 250) {
  const [searchParams, setSearchParams] = useSearchParams();
  const value = searchParams.get(name) ?? '';
  const [draft, setDraft] = useState(value);
  // The last value this hook wrote: a URL change that is not ours (back button, a "clear" link) resets the box.
  const written = useRef(value);

  useEffect(() => {
    if (value !== written.current) {
      written.current = value;
      setDraft(value);
    }
  }, [value]);

  const write = useCallback(
    (next: string) => {
      written.current = next;
      setSearchParams(
        (prev) => {
          const params = new URLSearchParams(prev);
          if (next) params.set(name, next);
          else params.delete(name);
          return params;
        },
        { replace: true },
      );
    },
    [name, setSearchParams],
  );

  useEffect(() => {
    if (draft === written.current) return undefined;
    const timer = setTimeout(() => write(draft), delayMs);
    return () => clearTimeout(timer);
  }, [draft, delayMs, write]);

  const clear = useCallback(() => {
    setDraft('');
    write('');
  }, [write]);

  return { value, draft, setDraft, clear };
}
