// ESLint flat config (run with `npm run lint`): typescript-eslint's recommended rules, plus
// the project's own: no floating promises outside tests would need type info, so we keep the
// fast syntactic set and rely on `tsc --noEmit` (strict) for types.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "crm-report/**", "test-output/**", "coverage/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    files: ["test/**", "addin/build.mjs", "addin/dev-server.mjs", "addin/playground/**"],
    rules: { "no-console": "off" },
  },
);
