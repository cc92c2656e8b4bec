import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Types for every GraphQL document of the portal, from the gateway's
 * checked-in SDL: `npm run codegen -w web` rewrites src/gql/ (checked in).
 */
const config: CodegenConfig = {
  schema: "../gateway/schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*", "!src/**/*.test.{ts,tsx}"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        onlyOperationTypes: true,
        strictScalars: true,
        scalars: { DateTime: "string" },
        defaultScalarType: "unknown",
      },
    },
  },
  hooks: { afterAllFileWrite: ["prettier --write"] },
};

export default config;
