import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Types for every GraphQL document of the portal and of Backstage, from the
 * gateway's checked-in SDL: `npm run codegen -w web` rewrites src/gql/ and
 * src/backstage/gql/ (both checked in).
 */
/** The client preset's settings, the same for both apps. */
const client = {
  preset: "client" as const,
  presetConfig: { fragmentMasking: false },
  config: {
    useTypeImports: true,
    enumsAsTypes: true,
    onlyOperationTypes: true,
    strictScalars: true,
    scalars: { DateTime: "string" },
    defaultScalarType: "unknown",
  },
};

/**
 * Two outputs, so each app's bundle carries only its own documents (the
 * preset's `graphql()` imports a map of every document it was generated
 * from): the portal's in src/gql/, Backstage's in src/backstage/gql/.
 */
const config: CodegenConfig = {
  schema: "../gateway/schema.graphql",
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      ...client,
      documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*", "!src/backstage/**/*", "!src/**/*.test.{ts,tsx}"],
    },
    "src/backstage/gql/": {
      ...client,
      documents: ["src/backstage/**/*.{ts,tsx}", "!src/backstage/gql/**/*", "!src/**/*.test.{ts,tsx}"],
    },
  },
  hooks: { afterAllFileWrite: ["prettier --write"] },
};

export default config;
