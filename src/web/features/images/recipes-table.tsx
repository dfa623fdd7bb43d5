import { Link } from 'react-router';
import type { Recipe } from '../../../shared/domain/recipe';
import { RelativeTime } from '../../components/relative-time';
import { paths } from '../../lib/paths';

const TH = 'px-3 py-2 text-left text-xs font-medium text-zinc-500 dark:text-zinc-400';

function baseLabel(recipe: Recipe): string {
  const b = recipe.base;
  return b.type === 'image' ? b.image : b.type === 'debian' ? `debian ${b.suite}` : b.type === 'scratch' ? 'scratch' : `${b.type} ${b.path}`;
}

export function RecipesTable({ recipes }: { recipes: readonly Recipe[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-sm">
        <caption className="sr-only">Recipes</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/50">
          <tr>
            <th scope="col" className={TH}>Recipe</th>
            <th scope="col" className={TH}>Builder</th>
            <th scope="col" className={TH}>Base</th>
            <th scope="col" className={`${TH} text-right`}>Provisioners</th>
            <th scope="col" className={`${TH} text-right`}>Revision</th>
            <th scope="col" className={TH}>Saved</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {recipes.map((r) => (
            <tr key={r.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
              <th scope="row" className="px-3 py-2 text-left font-medium">
                <Link to={paths.recipe(r.id)} className="text-zinc-900 hover:text-orange-700 hover:underline dark:text-zinc-100 dark:hover:text-orange-400">{r.name}</Link>
              </th>
              <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">{r.builder}</td>
              <td className="px-3 py-2 font-mono text-xs">{baseLabel(r)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{r.provisioners.length}</td>
              <td className="px-3 py-2 text-right tabular-nums">r{r.revision}</td>
              <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400"><RelativeTime iso={r.updatedAt} /> by {r.updatedBy}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
