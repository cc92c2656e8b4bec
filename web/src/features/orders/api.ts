/** Orders: one order, the buyer's orders, its live state, tickets sent again. */
import { graphql } from "../../gql";

export const OrderQuery = graphql(`
  query Order($event: String!, $id: ID!) {
    order(event: $event, id: $id) {
      id
      number
      event
      state
      totalMinor
      currency
      placedAtMs
      paymentError
      buyer {
        name
        email
      }
      lines {
        tier
        description
        quantity
        unitPriceMinor
        amountMinor
      }
      charges {
        label
        amountMinor
      }
      tickets {
        id
        tier
        label
        seat
        admissions
        refunded
      }
    }
  }
`);

export const OrderStateQuery = graphql(`
  query OrderState($event: String!, $id: ID!) {
    order(event: $event, id: $id) {
      id
      number
      state
      paymentError
    }
  }
`);

export const OrderStatusSubscription = graphql(`
  subscription OrderStatus($event: String!, $orderId: ID!) {
    orderStatus(event: $event, orderId: $orderId) {
      orderId
      number
      state
      paymentError
    }
  }
`);

export const MyOrdersQuery = graphql(`
  query MyOrders($first: Int, $after: String) {
    myOrders(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        number
        event
        state
        totalMinor
        currency
        placedAtMs
        buyer {
          email
        }
        lines {
          tier
          description
          quantity
        }
      }
    }
  }
`);

export const ResendTicketsMutation = graphql(`
  mutation ResendTickets($orderId: ID!) {
    resendTickets(orderId: $orderId) {
      id
      buyer {
        email
      }
    }
  }
`);
