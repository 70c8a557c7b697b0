// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layerBoundaries } from './eslint.layers.js';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.cache/', 'bench/results/', 'config/', 'tools/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/explicit-function-return-type': ['error', { allowExpressions: true }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      complexity: ['error', 10],
      'max-depth': ['error', 3],
      'max-params': ['error', 4],
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'sim/**/*.ts', 'api/**/*.ts'],
    ignores: ['**/*.test.ts', '**/generated/**'],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: false, skipComments: false }] },
  },
  ...layerBoundaries(),
  {
    // Tests and CLI entry points talk to people through the console on purpose.
    files: [
      'test/**/*.ts',
      '**/*.test.ts',
      'bench/**/*.ts',
      'scripts/**/*.ts',
      'src/cli/**/*.ts',
      'sim/command/**/*.ts',
      'bin/**/*.js',
    ],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: null },
      globals: { URL: 'readonly', process: 'readonly', console: 'readonly' },
    },
    // Plain JavaScript (bin/, Node loader hooks) has no syntax for return types.
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/explicit-function-return-type': 'off',
    },
  },
);
