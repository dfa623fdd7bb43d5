import { Link } from 'react-router';
import type { Project } from '../../../shared/domain/project';
import { DemoBadge } from '../../components/demo-badge';
import { paths } from '../../lib/paths';
import { plural } from '../../lib/format';

export function ProjectList({ projects }: { projects: readonly Project[] }) {
  return (
    <ul aria-label="Projects" className="grid grid-cols-[repeat(auto-fill,minmax(20rem,1fr))] gap-3">
      {projects.map((project) => (
        <li key={project.name}>
          <Link
            to={paths.project(project.name)}
            className="group flex h-full flex-col gap-2 rounded-lg border border-zinc-200 bg-white p-4 shadow-xs transition-colors hover:border-zinc-300 hover:bg-zinc-50/60 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-zinc-700 dark:hover:bg-zinc-900/60"
          >
            <div className="flex items-start justify-between gap-2">
              <div className="min-w-0">
                <h2 className="truncate text-sm font-semibold text-zinc-900 group-hover:text-orange-700 dark:text-zinc-100 dark:group-hover:text-orange-400">
                  {project.displayName}
                </h2>
                <p className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{project.name}</p>
              </div>
              {project.demo && <DemoBadge />}
            </div>
            <p className="line-clamp-2 text-sm text-zinc-600 dark:text-zinc-400">{project.description || 'No description.'}</p>
            <p className="mt-auto flex flex-wrap gap-x-3 text-xs text-zinc-500 dark:text-zinc-400">
              <span>{plural(project.applications.length, 'application')}</span>
              <span>{project.ownerEmail}</span>
            </p>
          </Link>
        </li>
      ))}
    </ul>
  );
}
