/** Checkout: the session, holds, Stripe's configuration and the order. */
import { graphql } from "../../gql";

export const StartCheckoutMutation = graphql(`
  mutation StartCheckout {
    startCheckout {
      token
      expiresAtMs
    }
  }
`);

export const HoldMutation = graphql(`
  mutation Hold($event: String!, $tier: String!, $quantity: Int, $seats: [String!], $holdId: ID, $checkout: String) {
    hold(event: $event, tier: $tier, quantity: $quantity, seats: $seats, holdId: $holdId, checkout: $checkout) {
      id
      tier
      quantity
      seats
      expiresAtMs
    }
  }
`);

export const ReleaseMutation = graphql(`
  mutation Release($event: String!, $holdId: ID!, $checkout: String) {
    release(event: $event, holdId: $holdId, checkout: $checkout)
  }
`);

export const PortalConfigQuery = graphql(`
  query PortalConfig {
    portalConfig {
      stripePublishableKey
      stripeJsUrl
    }
  }
`);

export const CreateOrderMutation = graphql(`
  mutation CreateOrder(
    $event: String!
    $holds: [OrderHoldInput!]!
    $buyer: BuyerInput
    $orderId: ID
    $checkout: String
    $paymentMethod: String
  ) {
    createOrder(
      event: $event
      holds: $holds
      buyer: $buyer
      orderId: $orderId
      checkout: $checkout
      paymentMethod: $paymentMethod
    ) {
      id
      number
      state
      totalMinor
      currency
      paymentError
      requiresAction
      clientSecret
    }
  }
`);

/** Another card for an order placed already (after a decline). */
export const PayOrderMutation = graphql(`
  mutation PayOrder($event: String!, $orderId: ID!, $paymentMethod: String!) {
    payOrder(event: $event, orderId: $orderId, paymentMethod: $paymentMethod) {
      id
      number
      state
      totalMinor
      currency
      paymentError
      requiresAction
      clientSecret
    }
  }
`);
