/** The analytics tags of an event's organization. */
import { graphql } from "../../gql";

export const EventAnalyticsQuery = graphql(`
  query EventAnalytics($slug: String!) {
    event(slug: $slug) {
      id
      analytics {
        googleAnalyticsId
        segmentWriteKey
      }
    }
  }
`);
