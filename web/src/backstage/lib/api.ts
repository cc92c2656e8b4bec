/** The organization's events, for the pickers of the orders, box office, refunds and analytics pages. */
import { graphql } from "../gql";

export const BackstageEventChoicesQuery = graphql(`
  query BackstageEventChoices($ns: String!) {
    organization(namespace: $ns) {
      namespace
      events(first: 100) {
        nodes {
          id
          name
          slug
          title
          state
          currency
        }
      }
    }
  }
`);
