import { useSearchParams } from 'react-router';
import type { ClustersView } from '../../../shared/domain/cluster';
import { Button } from '../../components/button';
import { SearchInput } from '../../components/search-input';
import { SelectField } from '../../components/select-field';
import { useDebouncedSearchParam } from '../../lib/use-debounced-search-param';
import { hasActiveFilters, withoutFilters } from './cluster-filters';

interface ClusterFilterBarProps {
  facets: ClustersView['facets'] | undefined;
  shown: number | undefined;
  total: number | undefined;
}

export function ClusterFilterBar({ facets, shown, total }: ClusterFilterBarProps) {
  const [searchParams, setSearchParams] = useSearchParams();
  const search = useDebouncedSearchParam('q');

  const set = (name: string, value: string | undefined) =>
    setSearchParams((prev) => {
      const next = new URLSearchParams(prev);
      if (value) next.set(name, value);
      else next.delete(name);
      return next;
    });

  const showDisabled = searchParams.get('showDisabled') !== 'false';
  return (
    <div
      role="search"
      aria-label="Filter server groups"
      className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border border-zinc-200 bg-white px-3 py-2 shadow-xs dark:border-zinc-800 dark:bg-zinc-900"
    >
      <SearchInput label="Search server groups" placeholder="Name, image version or instance id" value={search.draft} onChange={search.setDraft} className="w-72" />
      <SelectField label="Account" allLabel="All accounts" value={searchParams.get('account') ?? ''} options={facets?.accounts ?? []} onChange={(v) => set('account', v)} />
      <SelectField label="Region" allLabel="All regions" value={searchParams.get('region') ?? ''} options={facets?.regions ?? []} onChange={(v) => set('region', v)} />
      <SelectField label="Stack" allLabel="All stacks" value={searchParams.get('stack') ?? ''} options={facets?.stacks ?? []} onChange={(v) => set('stack', v)} />
      <label className="flex items-center gap-1.5 text-sm text-zinc-700 dark:text-zinc-300">
        <input
          type="checkbox"
          checked={showDisabled}
          // Showing disabled groups is the default, so only "hide" is written to the URL.
          onChange={(e) => set('showDisabled', e.target.checked ? undefined : 'false')}
          className="size-3.5 accent-orange-600"
        />
        Show disabled
      </label>
      <div className="ml-auto flex items-center gap-3">
        {shown !== undefined && total !== undefined && (
          <p aria-live="polite" className="text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
            {shown} of {total} server groups shown
          </p>
        )}
        <Button
          size="sm"
          variant="ghost"
          disabled={!hasActiveFilters(searchParams)}
          onClick={() => {
            // Also drop text typed but not yet written to the URL, or the debounce would bring it back.
            search.setDraft('');
            setSearchParams(withoutFilters(searchParams));
          }}
        >
          Clear filters
        </Button>
      </div>
    </div>
  );
}
