import { useQuery } from '@tanstack/react-query';
import { EmptyState } from '../../components/empty-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeader } from '../../components/page-header';
import { QueryErrorState } from '../../components/query-error-state';
import { Skeleton } from '../../components/skeleton';
import { imagesQuery, recipesQuery } from '../../features/images/image-queries';
import { ImagesTable } from '../../features/images/images-table';
import { RecipesTable } from '../../features/images/recipes-table';
import { plural } from '../../lib/format';

function Loading({ label }: { label: string }) {
  return (
    <LoadingState label={label}>
      <div className="flex flex-col gap-1.5">
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} className="h-9" />
        ))}
      </div>
    </LoadingState>
  );
}

export function ImagesPage() {
  const images = useQuery(imagesQuery());
  const recipes = useQuery(recipesQuery());
  return (
    <>
      <title>Images · Kiln</title>
      <PageHeader
        title="Images"
        description="What the bakery built: every image by name with its versions, channels and revocations, and the recipes that bake them."
        actions={images.data && <span className="text-xs text-zinc-500 dark:text-zinc-400">{plural(images.data.length, 'image')}</span>}
      />
      {images.isPending ? (
        <Loading label="Loading images…" />
      ) : images.isError ? (
        <QueryErrorState error={images.error} onRetry={() => void images.refetch()} retrying={images.isFetching} />
      ) : images.data.length === 0 ? (
        <EmptyState title="No images yet">Add a Bake stage to a pipeline and run it: each bake registers the next version here.</EmptyState>
      ) : (
        <ImagesTable images={images.data} />
      )}
      <h2 className="mt-4 text-base font-semibold">Recipes</h2>
      {recipes.isPending ? (
        <Loading label="Loading recipes…" />
      ) : recipes.isError ? (
        <QueryErrorState error={recipes.error} onRetry={() => void recipes.refetch()} retrying={recipes.isFetching} />
      ) : recipes.data.length === 0 ? (
        <EmptyState title="No recipes yet">
          Create one with <code className="font-mono text-xs">POST /api/recipes</code> (JSON or {'{ "yaml": "…" }'}).
        </EmptyState>
      ) : (
        <RecipesTable recipes={recipes.data} />
      )}
    </>
  );
}
