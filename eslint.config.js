// ESLint 9 flat config: typescript-eslint's type-checked rules over src/ and specs/ (the harness,
// its unit tests and the specs). The rules that matter most for a test suite are the promise
// rules: an un-awaited promise is an assertion that cannot fail (docs/writing-specs.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'src/generated/', 'reports/'] },
  {
    files: ['src/**/*.ts', 'specs/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // `async` without `await` is how a probe, a cleanup or a fake RPC handler returns the
      // promise its caller expects, a synchronous throw included (it becomes the rejection).
      '@typescript-eslint/require-await': 'off',
      // A `let` that closures declared before it read, assigned once later (a server, a socket).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // The self-test's mutants edit the decoded messages of any RPC in place through
    // `Msg = Record<string, any>` (selftest/behaviour.ts): one mutant, one field, no type per RPC.
    files: [
      'src/selftest/behaviour.ts',
      'src/selftest/faults.ts',
      'src/selftest/mutant.ts',
      'src/selftest/mutants-*.ts',
    ],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
