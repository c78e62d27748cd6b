import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist", "node_modules", "test-results", "src/lib/api/schema.d.ts"] },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      globals: globals.browser,
      parserOptions: {
        project: ["./tsconfig.app.json", "./tsconfig.node.json"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/method-signature-style": ["error", "property"],
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      // Tokens and personal data never go to web storage: the session lives in memory
      // (src/features/auth/session). Only the language preference is remembered.
      "no-restricted-globals": [
        "error",
        { name: "localStorage", message: "No tokens or personal data in web storage; keep state in memory." },
        { name: "sessionStorage", message: "No tokens or personal data in web storage; keep state in memory." },
      ],
    },
  },
  {
    files: ["src/i18n/i18n-provider.tsx"],
    rules: { "no-restricted-globals": "off" },
  },
  {
    files: ["**/*.{js,mjs}"],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
);
