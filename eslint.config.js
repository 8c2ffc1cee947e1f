// ESLint: the TypeScript rules everywhere, and no Node built-ins or I/O libraries in workflow code, which must stay
// deterministic (the Temporal bundler would also refuse most of them, but only at run time).
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http',
  'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers', 'tls', 'url', 'util',
  'v8', 'vm', 'worker_threads', 'zlib',
];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', '.temporal-venv/', 'test-output/', 'bench/results/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...NODE_BUILTINS.flatMap((name) => [name, `node:${name}`]).map((name) => ({
              name,
              message: 'Workflow code must be deterministic: do I/O in an activity.',
            })),
            ...['better-sqlite3', 'kysely', 'pg', 'nodemailer', 'express', '@temporalio/client', '@temporalio/worker'].map(
              (name) => ({ name, message: 'Workflow code must be deterministic: do I/O in an activity.' }),
            ),
          ],
          patterns: [{ group: ['../activities', '../activities/*'], allowTypeImports: true, message: 'Import activities as types only.' }],
        },
      ],
    },
  },
);
