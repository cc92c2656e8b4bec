/** The event page's GraphQL documents. */
import { graphql } from "../../gql";

export const EventPageQuery = graphql(`
  query EventPage($slug: String!) {
    event(slug: $slug) {
      id
      slug
      title
      currency
      description
      onSaleAt
      offSaleAt
      timezone
      state
      days {
        day
        doorsAt
        startsAt
        endsAt
        doorsAtLocal
        startsAtLocal
        endsAtLocal
      }
      venue {
        name
        displayName
        city
        country
      }
      tiers {
        name
        displayName
        priceMinor
        currency
        perOrderMax
        available
        kind
        seating
        tableSeats
        salesState
        salesStartAt
        salesEndAt
      }
    }
  }
`);

export const AvailabilitySubscription = graphql(`
  subscription Availability($event: String!) {
    availability(event: $event) {
      event
      tiers {
        name
        available
      }
    }
  }
`);

/** The first seat map of a SEATED or TABLE tier (then followed live by the seat picker). */
export const TierSeatMapQuery = graphql(`
  query TierSeatMap($event: String!, $tier: String!) {
    seatMap(event: $event, tier: $tier) {
      ...SeatMapFields
    }
  }
`);
