// typescript-eslint with type-checked rules (strict + stylistic) over the whole tree; plain JS files
// are linted without type information.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The Node globals the plain JS files use (TypeScript files get theirs from @types/node). */
const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'Buffer', 'URL', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'structuredClone'].map(
    (name) => [name, 'readonly'],
  ),
);
const commonJsGlobals = Object.fromEntries(['require', 'module', 'exports', '__dirname', '__filename'].map((name) => [name, 'readonly']));

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'release/',
      'coverage/',
      'node_modules/',
      'app/dist/',
      'emulator-data/',
      'demo-mirror/',
      'test/bench/results/',
      '.ci/.node24/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      // vite.config.ts is in no tsconfig (app/tsconfig.json covers the renderer's sources only).
      parserOptions: { projectService: { allowDefaultProject: ['app/vite.config.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Template literals with numbers are how messages are written here.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `(t) => process.stdout.write(t)` is the house way to hand over a writer.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Stand-ins and implementations of async interfaces (FilesApi, ports, fakes) are async without
      // awaiting; floating and misused promises stay errors (no-floating-promises, no-misused-promises).
      '@typescript-eslint/require-await': 'off',
      // Its fix turns `x as T` into `x!`, which strict's no-non-null-assertion then refuses.
      '@typescript-eslint/non-nullable-type-assertion-style': 'off',
      // The named `z` is a namespace object the bundler keeps whole: zod's 40 locales and JSON
      // Schema code went into the CLI's start-up (443 KB of zod instead of 96 KB).
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
          message: "import * as z from 'zod' (tree-shaken; the named z is not).",
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: nodeGlobals },
  },
  {
    // electron-builder's hooks and CI's preload are CommonJS, as those tools load them.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, ...commonJsGlobals } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
