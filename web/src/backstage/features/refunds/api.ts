/** The refunds page's documents. */
import { graphql } from "../../gql";

export const BackstageRefundStatsQuery = graphql(`
  query BackstageRefundStats($event: String!) {
    refundStats(event: $event) {
      refunds
      tickets
      amountMinor
      feesReturnedMinor
      currency
      ordersFullyRefunded
    }
  }
`);

export const BackstageRefundSeriesQuery = graphql(`
  query BackstageRefundSeries($ns: String!, $event: String, $from: String!, $to: String!, $bucket: Bucket!) {
    salesSeries(organization: $ns, event: $event, from: $from, to: $to, bucket: $bucket) {
      currency
      buckets {
        start
        orders
        grossMinor
        refundedMinor
      }
      total {
        start
        orders
        grossMinor
        refundedMinor
      }
    }
  }
`);

export const BackstageRefundEventMutation = graphql(`
  mutation BackstageRefundEvent($event: String!, $dryRun: Boolean!) {
    refundEvent(event: $event, dryRun: $dryRun) {
      dryRun
      orders
      tickets
      amountMinor
      feesReturnedMinor
      currency
      failedOrders
    }
  }
`);
