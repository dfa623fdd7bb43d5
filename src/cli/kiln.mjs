#!/usr/bin/env node
// The `kiln` command: Node 20 cannot run TypeScript itself, so tsx (a dependency) loads it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });
