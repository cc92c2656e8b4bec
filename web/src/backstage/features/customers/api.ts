/** The customers page's document. */
import { graphql } from "../../gql";

export const BackstageCustomersQuery = graphql(`
  query BackstageCustomers($ns: String!, $first: Int, $after: String) {
    customers(organization: $ns, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        email
        name
        currency
        orders
        lifetimeValueMinor
        refundedMinor
        firstOrderAtMs
        lastOrderAtMs
      }
    }
  }
`);
