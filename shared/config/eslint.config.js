/**
 * @module
 * The one ESLint flat config of the monorepo. Type-checked rules matter most here: protocol and
 * server code is async all the way down, so floating and misused promises are errors.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Rules every package shares; lessons learned once are encoded here as `no-restricted-syntax`. */
export default tseslint.config(
  // vitest.config.ts files are one-line re-exports of the shared preset, outside each tsconfig.
  {
    ignores: [
      '**/dist/**',
      '**/build/**',
      '**/node_modules/**',
      '**/.cache/**',
      '**/coverage/**',
      '**/vitest.config.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true },
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // With noUncheckedIndexedAccess, `!` after a checked index is the honest spelling.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.property.name='includes'][callee.object.name=/contentType/i]",
          message: 'Parse media types with the content-type helper, never with includes().',
        },
        {
          selector: 'TSEnumDeclaration',
          message: 'Use an `as const` object: enums are not erasable syntax.',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts', 'bench/**', 'scripts/**'],
    rules: {
      // Matchers such as expect.any() are typed `any` by Vitest.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['**/log.ts', 'bench/**', 'scripts/**', '**/demo/**'],
    rules: { 'no-console': 'off' },
  },
);
