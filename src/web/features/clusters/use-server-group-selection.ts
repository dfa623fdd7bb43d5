import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { formatServerGroupRef, parseServerGroupRef } from '../../lib/paths';
import type { ServerGroupRef } from '../../lib/query-keys';

/** The open server group lives in `?sg=account/region/name`, so a reload or a shared link reopens it. */
export function useServerGroupSelection() {
  const [searchParams, setSearchParams] = useSearchParams();
  const selected = parseServerGroupRef(searchParams.get('sg'));

  const searchFor = useCallback(
    (ref: ServerGroupRef) => {
      const next = new URLSearchParams(searchParams);
      next.set('sg', formatServerGroupRef(ref));
      return `?${next.toString()}`;
    },
    [searchParams],
  );

  const close = useCallback(() => {
    setSearchParams((prev) => {
      const next = new URLSearchParams(prev);
      next.delete('sg');
      return next;
    });
  }, [setSearchParams]);

  return { selected, searchFor, close };
}
