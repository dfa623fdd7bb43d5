import { Project, type NewProject } from '../../shared/domain/project';
import { ConflictError } from '../errors';
import { iso, parseRow, parseRows, sqlState, UNIQUE_VIOLATION } from '../sql';
import type { Queryable } from '../types';

export interface ProjectRepository {
  list(): Promise<Project[]>;
  get(name: string): Promise<Project | undefined>;
  /** Throws ConflictError when the name is taken. */
  create(input: NewProject, options?: { demo?: boolean }): Promise<Project>;
  update(name: string, patch: { displayName?: string | undefined; description?: string | undefined; ownerEmail?: string | undefined }): Promise<Project | undefined>;
  /** Deletes an empty project only; false when it does not exist or still has applications. */
  delete(name: string): Promise<boolean>;
}

const SELECT = `
  select p.name, p.display_name as "displayName", p.description, p.owner_email as "ownerEmail", p.demo,
         ${iso('p.created_at')} as "createdAt",
         coalesce((select array_agg(a.name order by a.name) from applications a where a.project = p.name), '{}') as applications
  from projects p`;

export function projectRepository(db: Queryable): ProjectRepository {
  return {
    async list() {
      const { rows } = await db.query(`${SELECT} order by p.name`);
      return parseRows(Project, rows, 'projects', (r) => String(r.name));
    },

    async get(name) {
      const { rows } = await db.query(`${SELECT} where p.name = $1`, [name]);
      return rows[0] && parseRow(Project, rows[0], 'project');
    },

    async create(input: NewProject, options = {}) {
      try {
        await db.query(`insert into projects (name, display_name, description, owner_email, demo) values ($1, $2, $3, $4, $5)`, [
          input.name,
          input.displayName,
          input.description,
          input.ownerEmail,
          options.demo ?? false,
        ]);
      } catch (err) {
        if (sqlState(err) === UNIQUE_VIOLATION) throw new ConflictError(`project '${input.name}' already exists`, 'name');
        throw err;
      }
      const { rows } = await db.query(`${SELECT} where p.name = $1`, [input.name]);
      return parseRow(Project, rows[0], 'project');
    },

    async update(name, patch) {
      const { rowCount } = await db.query(
        `update projects set display_name = coalesce($2, display_name), description = coalesce($3, description), owner_email = coalesce($4, owner_email) where name = $1`,
        [name, patch.displayName ?? null, patch.description ?? null, patch.ownerEmail ?? null],
      );
      if (rowCount === 0) return undefined;
      const { rows } = await db.query(`${SELECT} where p.name = $1`, [name]);
      return parseRow(Project, rows[0], 'project');
    },

    async delete(name) {
      // Only an empty project: the caller refuses (naming them) while applications remain.
      const { rowCount } = await db.query('delete from projects p where name = $1 and not exists (select 1 from applications a where a.project = p.name)', [name]);
      return rowCount > 0;
    },
  };
}
