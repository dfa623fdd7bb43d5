import { Link } from 'react-router';
import type { Recipe } from '../../../shared/domain/recipe';
import { DataTable, mutedCell, rowLinkClass, type Column } from '../../components/data-table';
import { RelativeTime } from '../../components/relative-time';
import { paths } from '../../lib/paths';

function baseLabel(recipe: Recipe): string {
  const b = recipe.base;
  return b.type === 'image' ? b.image : b.type === 'debian' ? `debian ${b.suite}` : b.type === 'scratch' ? 'scratch' : `${b.type} ${b.path}`;
}

const COLUMNS: Array<Column<Recipe>> = [
  {
    header: 'Recipe',
    rowHeader: true,
    cell: (r) => (
      <Link to={paths.recipe(r.id)} className={rowLinkClass}>
        {r.name}
      </Link>
    ),
  },
  { header: 'Builder', className: mutedCell, cell: (r) => r.builder },
  { header: 'Base', className: 'font-mono text-xs', cell: baseLabel },
  { header: 'Provisioners', numeric: true, cell: (r) => r.provisioners.length },
  { header: 'Revision', numeric: true, cell: (r) => `r${r.revision}` },
  {
    header: 'Saved',
    className: mutedCell,
    cell: (r) => (
      <>
        <RelativeTime iso={r.updatedAt} /> by {r.updatedBy}
      </>
    ),
  },
];

export function RecipesTable({ recipes }: { recipes: readonly Recipe[] }) {
  return <DataTable caption="Recipes" columns={COLUMNS} rows={recipes} rowKey={(r) => r.id} />;
}
