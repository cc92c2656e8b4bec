/** The seat picker's live seat map. */
import { graphql } from "../../gql";

export const SeatMapSubscription = graphql(`
  subscription SeatMapLive($event: String!, $tier: String!) {
    seatMap(event: $event, tier: $tier) {
      ...SeatMapFields
    }
  }
`);
