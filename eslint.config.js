// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Boundaries (see ../shared/design/ARCHITECTURE.md): shared/ is the pure engine — no Node built-ins,
 * no DOM, no Electron/React/fabric/SQLite, no clocks, randomness, timers or network. The renderer never
 * imports Node or main; the preload imports only shared/ipc; server and main never import each other.
 */
const NODE_BUILTINS = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'module',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];
const nodeImports = { group: ['node:*', ...NODE_BUILTINS], message: 'Node built-ins are not allowed here; inject what you need.' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'coverage/**', 'tests/fixtures/**', '**/*.cjs', 'renderer/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['bin/**/*.mjs', 'scripts/**/*.mjs', '*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.shared.json', './tsconfig.node.json', './tsconfig.web.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeImports,
            { group: ['electron', 'electron/*'], message: 'shared/ runs everywhere; Electron belongs in main/.' },
            { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'shared/ has no UI; React belongs in renderer/.' },
            { group: ['fabric', 'fabric/*'], message: 'shared/ has no canvas; fabric belongs in renderer/.' },
            { group: ['better-sqlite3'], message: 'shared/ does no IO; SQLite belongs in main/ or server/.' },
            { group: ['**/main/*', '**/server/*', '**/renderer/*', '**/preload/*'], message: 'shared/ imports only shared/.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'setTimeout',
          'setInterval',
          'setImmediate',
          'fetch',
          'process',
          'Buffer',
          'window',
          'document',
          'require',
          '__dirname',
          'performance',
        ].map((name) => ({ name, message: `${name} is not available to the pure engine; inject it through env.` })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'No clocks in shared/: take the time from the injected env.' },
        { object: 'Math', property: 'random', message: 'No randomness in shared/: take ids from the injected env.' },
        { object: 'crypto', property: 'randomUUID', message: 'No randomness in shared/: take ids from the injected env.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'No clocks in shared/: take the time from the injected env.',
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeImports,
            {
              group: ['electron', '**/main/*', '**/server/*'],
              message: 'The renderer talks to main only through window.studio (the bridge).',
            },
            { group: ['**/preload/*'], message: 'Import preload types only: `import type`.', allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/shared/*', '!**/shared/ipc', '!**/shared/ipc/*'], message: 'The preload may import only shared/ipc.' },
            { group: ['**/main/*', '**/server/*', '**/renderer/*'], message: 'The preload imports only shared/ipc and electron.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/*', '**/renderer/*', '**/preload/*'],
              message: 'main talks to the server over HTTP and to the renderer over IPC.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/main/*', '**/renderer/*', '**/preload/*', 'electron'],
              message: 'The server imports only shared/ and its own code.',
            },
          ],
        },
      ],
    },
  },
);
