import { Project, type NewProject } from '../../shared/domain/project';
import { ConflictError } from '../errors';
import { iso, parseRow, parseRows, sqlState, UNIQUE_VIOLATION } from '../sql';
import type { ProjectRepository, Queryable } from '../types';

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
        await db.query(
          `insert into projects (name, display_name, description, owner_email, demo) values ($1, $2, $3, $4, $5)`,
          [input.name, input.displayName, input.description, input.ownerEmail, options.demo ?? false],
        );
      } catch (err) {
        if (sqlState(err) === UNIQUE_VIOLATION) throw new ConflictError(`project '${input.name}' already exists`, 'name');
        throw err;
      }
      const { rows } = await db.query(`${SELECT} where p.name = $1`, [input.name]);
      return parseRow(Project, rows[0], 'project');
    },
  };
}
