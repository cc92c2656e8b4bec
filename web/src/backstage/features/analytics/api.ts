/** The analytics page's documents. */
import { graphql } from "../../gql";

export const BackstageAnalyticsQuery = graphql(`
  query BackstageAnalytics($ns: String!, $event: String, $from: String!, $to: String!, $bucket: Bucket!) {
    salesSeries(organization: $ns, event: $event, from: $from, to: $to, bucket: $bucket) {
      currency
      buckets {
        start
        orders
        tickets
        addOns
        grossMinor
        refundedMinor
        compTickets
        boxOfficeOrders
        promoOrders
      }
      total {
        start
        orders
        tickets
        addOns
        grossMinor
        refundedMinor
        compTickets
        boxOfficeOrders
        promoOrders
      }
    }
    checkInSeries(organization: $ns, event: $event, from: $from, to: $to, bucket: $bucket) {
      buckets {
        start
        checkIns
        admissions
        undone
        offline
      }
      total {
        start
        checkIns
        admissions
        undone
        offline
      }
    }
    promoUsage(organization: $ns, event: $event) {
      code
      orders
      tickets
      grossMinor
      currency
    }
  }
`);

export const BackstageBuyerMapQuery = graphql(`
  query BackstageBuyerMap($ns: String!, $event: String) {
    buyerMap(organization: $ns, event: $event) {
      latitude
      longitude
      orders
      buyers
    }
  }
`);
