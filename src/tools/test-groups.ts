/**
 * `npx tsx src/tools/test-groups.ts`: test files sorted by what they use, for npm test's passes
 * (test.sh): one line, two fields (services, no-database), each comma-separated paths. A new test file lands in the right pass by
 * its imports, never by being added to a list:
 * - services: files that need the throwaway Podman, registry or Prometheus (they reach a module that
 *   reads KILN_TEST_DOCKER_HOST, KILN_TEST_REGISTRY or KILN_TEST_PROMETHEUS_URL). They mostly wait on
 *   those services, so they run beside the PostgreSQL pass rather than in the serial PGlite pass.
 * - no-database: files under src/{db,server,engine} that never open a database (they reach neither
 *   src/db/client.ts nor a driver). The PostgreSQL pass would run them unchanged, so they run once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importGraph, ROOT } from './import-graph';

const SERVICES = /KILN_TEST_(DOCKER_HOST|REGISTRY|PROMETHEUS)/;
const DATABASE = [join(ROOT, 'src/db/client.ts'), join(ROOT, 'src/db/test-database.ts')];

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'node_modules' ? [] : testFiles(join(dir, e.name))) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

export function servicesTests(): string[] {
  const mentions = new Map<string, boolean>();
  const needs = (file: string) => {
    // This file names the variables it looks for; it reads none of them.
    if (file === import.meta.filename) return false;
    if (!mentions.has(file)) mentions.set(file, SERVICES.test(readFileSync(file, 'utf8')));
    return mentions.get(file)!;
  };
  return testFiles(join(ROOT, 'src'))
    .filter((file) => [...importGraph(file).files.keys()].some(needs))
    .map((file) => relative(ROOT, file))
    .sort();
}

export function noDatabaseTests(): string[] {
  return ['src/db', 'src/server', 'src/engine']
    .flatMap((dir) => testFiles(join(ROOT, dir)))
    .filter((file) => {
      const { files, packages } = importGraph(file);
      return !DATABASE.some((db) => files.has(db)) && !packages.has('pg') && !packages.has('@electric-sql/pglite');
    })
    .map((file) => relative(ROOT, file))
    .sort();
}

if (process.argv[1]?.endsWith('test-groups.ts')) process.stdout.write(`${servicesTests().join(',')} ${noDatabaseTests().join(',')}\n`);
