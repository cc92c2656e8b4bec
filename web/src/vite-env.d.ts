/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** GraphQL's address when not same-origin /graphql (development). */
  readonly VITE_GRAPHQL_URL?: string;
  /** Which app this build is: `portal` (the default) or `backstage`. */
  readonly VITE_APP?: "portal" | "backstage";
}
