import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import folderBoundaries from './build/eslint/folder-boundaries.js';

const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage'].map((name) => ({
  name,
  message: 'No DOM outside renderer/ (DESIGN.md).',
}));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'test/fixtures/**', 'renderer/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    plugins: { funnelscope: { rules: { 'folder-boundaries': folderBoundaries } } },
    rules: {
      'funnelscope/folder-boundaries': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**', 'workers/**', 'main/**'],
    rules: { 'no-restricted-globals': ['error', ...DOM_GLOBALS] },
  },
  {
    // The renderer is a sandboxed page: Node's globals do not exist there, whatever the bundler would accept.
    files: ['renderer/src/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['require', 'process', 'Buffer', 'global', '__dirname', '__filename'].map((name) => ({
          name,
          message: 'renderer/ runs sandboxed: no Node globals (DESIGN.md); use window.funnelscope.',
        })),
      ],
    },
  },
);
