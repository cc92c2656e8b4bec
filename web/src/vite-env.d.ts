/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** GraphQL's address when not same-origin /graphql (development). */
  readonly VITE_GRAPHQL_URL?: string;
}
