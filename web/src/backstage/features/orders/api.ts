/** The orders pages' documents: the list, one order, its refunds and e-mails, the export and box-office sales. */
import { graphql } from "../../gql";

export const BackstageOrdersQuery = graphql(`
  query BackstageOrders(
    $organization: String
    $event: String
    $first: Int
    $after: String
    $search: String
    $states: [OrderState!]
  ) {
    orders(organization: $organization, event: $event, first: $first, after: $after, search: $search, states: $states) {
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
        refundedMinor
        currency
        placedAtMs
        buyer {
          name
          email
        }
      }
    }
  }
`);

export const BackstageOrderQuery = graphql(`
  query BackstageOrder($event: String!, $id: ID!) {
    order(event: $event, id: $id) {
      id
      number
      event
      state
      totalMinor
      refundedMinor
      currency
      placedAtMs
      paymentIntentId
      paymentError
      buyer {
        name
        email
        phone
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
      refunds {
        id
        ticketIds
        amountMinor
        currency
        feesReturned
        state
        reason
      }
      customer {
        email
        currency
        orders
        lifetimeValueMinor
        refundedMinor
      }
    }
  }
`);

export const BackstageResendTicketsMutation = graphql(`
  mutation BackstageResendTickets($orderId: ID!) {
    resendTickets(orderId: $orderId) {
      id
      state
    }
  }
`);

export const BackstageRefundTicketsMutation = graphql(`
  mutation BackstageRefundTickets($event: String!, $orderId: ID!, $ticketIds: [ID!]!, $reason: String, $refundId: ID) {
    refundTickets(event: $event, orderId: $orderId, ticketIds: $ticketIds, reason: $reason, refundId: $refundId) {
      id
      amountMinor
      currency
      state
      feesReturned
    }
  }
`);

export const BackstageRefundOrderMutation = graphql(`
  mutation BackstageRefundOrder($event: String!, $orderId: ID!, $reason: String, $refundId: ID) {
    refundOrder(event: $event, orderId: $orderId, reason: $reason, refundId: $refundId) {
      id
      amountMinor
      currency
      state
      feesReturned
    }
  }
`);

export const BackstageExportLinkQuery = graphql(`
  query BackstageExportLink($organization: String!, $event: String, $kind: ExportKind!) {
    exportLink(organization: $organization, event: $event, kind: $kind) {
      url
      expiresAt
      kind
    }
  }
`);

export const BackstageBoxOfficeTiersQuery = graphql(`
  query BackstageBoxOfficeTiers($ns: String!, $name: String!) {
    organization(namespace: $ns) {
      namespace
      event(name: $name) {
        id
        name
        slug
        title
        state
        currency
        tiers(first: 100) {
          nodes {
            name
            displayName
            kind
            priceMinor
            currency
            visibility
            tableSeats
            perOrder {
              min
              max
            }
            status {
              available
            }
          }
        }
      }
    }
  }
`);

export const BackstageHoldMutation = graphql(`
  mutation BackstageHold($event: String!, $tier: String!, $quantity: Int, $seats: [String!], $holdId: ID) {
    hold(event: $event, tier: $tier, quantity: $quantity, seats: $seats, holdId: $holdId) {
      id
      tier
      quantity
      seats
      expiresAtMs
    }
  }
`);

export const BackstageCreateBoxOfficeOrderMutation = graphql(`
  mutation BackstageCreateBoxOfficeOrder(
    $event: String!
    $holds: [OrderHoldInput!]!
    $buyer: BuyerInput!
    $payment: BoxOfficePayment!
    $orderId: ID
  ) {
    createBoxOfficeOrder(event: $event, holds: $holds, buyer: $buyer, payment: $payment, orderId: $orderId) {
      id
      number
      event
      state
      totalMinor
      currency
      buyer {
        name
        email
      }
      tickets {
        id
        label
        seat
      }
    }
  }
`);

export const BackstageReleaseHoldMutation = graphql(`
  mutation BackstageReleaseHold($event: String!, $holdId: ID!) {
    release(event: $event, holdId: $holdId)
  }
`);
