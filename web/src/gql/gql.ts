/* eslint-disable */
import * as types from "./graphql";
import type { TypedDocumentNode as DocumentNode } from "@graphql-typed-document-node/core";

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
  "\n  mutation Refresh($refreshToken: String!) {\n    refresh(refreshToken: $refreshToken) {\n      accessToken\n      accessTokenExpiresAt\n      refreshToken\n      refreshTokenExpiresAt\n    }\n  }\n": typeof types.RefreshDocument;
  "\n  fragment SeatMapFields on SeatMap {\n    event\n    tier\n    section\n    tables\n    seatsPerTable\n    free\n    rows {\n      name\n      seats {\n        label\n        state\n      }\n    }\n  }\n": typeof types.SeatMapFieldsFragmentDoc;
  "\n  query Quote($event: String!, $lines: [QuoteLine!]!) {\n    quote(event: $event, lines: $lines) {\n      lines {\n        tier\n        description\n        quantity\n        unitPriceMinor\n        amountMinor\n      }\n      charges {\n        label\n        amountMinor\n      }\n      totalMinor\n      currency\n    }\n  }\n": typeof types.QuoteDocument;
  "\n  query EventAnalytics($slug: String!) {\n    event(slug: $slug) {\n      id\n      analytics {\n        googleAnalyticsId\n        segmentWriteKey\n      }\n    }\n  }\n": typeof types.EventAnalyticsDocument;
  "\n  mutation RequestLoginCode($email: String!) {\n    requestLoginCode(email: $email) {\n      channel\n      expiresInSeconds\n    }\n  }\n": typeof types.RequestLoginCodeDocument;
  "\n  mutation Login($email: String!, $code: String!) {\n    login(email: $email, code: $code) {\n      accessToken\n      accessTokenExpiresAt\n      refreshToken\n      refreshTokenExpiresAt\n    }\n  }\n": typeof types.LoginDocument;
  "\n  mutation StartCheckout {\n    startCheckout {\n      token\n      expiresAtMs\n    }\n  }\n": typeof types.StartCheckoutDocument;
  "\n  mutation Hold($event: String!, $tier: String!, $quantity: Int, $seats: [String!], $holdId: ID, $checkout: String) {\n    hold(event: $event, tier: $tier, quantity: $quantity, seats: $seats, holdId: $holdId, checkout: $checkout) {\n      id\n      tier\n      quantity\n      seats\n      expiresAtMs\n    }\n  }\n": typeof types.HoldDocument;
  "\n  mutation Release($event: String!, $holdId: ID!, $checkout: String) {\n    release(event: $event, holdId: $holdId, checkout: $checkout)\n  }\n": typeof types.ReleaseDocument;
  "\n  query PortalConfig {\n    portalConfig {\n      stripePublishableKey\n      stripeJsUrl\n    }\n  }\n": typeof types.PortalConfigDocument;
  "\n  mutation CreateOrder(\n    $event: String!\n    $holds: [OrderHoldInput!]!\n    $buyer: BuyerInput\n    $orderId: ID\n    $checkout: String\n    $paymentMethod: String\n  ) {\n    createOrder(\n      event: $event\n      holds: $holds\n      buyer: $buyer\n      orderId: $orderId\n      checkout: $checkout\n      paymentMethod: $paymentMethod\n    ) {\n      id\n      number\n      state\n      totalMinor\n      currency\n      paymentError\n      requiresAction\n      clientSecret\n    }\n  }\n": typeof types.CreateOrderDocument;
  "\n  mutation PayOrder($event: String!, $orderId: ID!, $paymentMethod: String!) {\n    payOrder(event: $event, orderId: $orderId, paymentMethod: $paymentMethod) {\n      id\n      number\n      state\n      totalMinor\n      currency\n      paymentError\n      requiresAction\n      clientSecret\n    }\n  }\n": typeof types.PayOrderDocument;
  "\n  query EventPage($slug: String!) {\n    event(slug: $slug) {\n      id\n      slug\n      title\n      currency\n      description\n      onSaleAt\n      offSaleAt\n      timezone\n      state\n      days {\n        day\n        doorsAt\n        startsAt\n        endsAt\n        doorsAtLocal\n        startsAtLocal\n        endsAtLocal\n      }\n      venue {\n        name\n        displayName\n        city\n        country\n      }\n      tiers {\n        name\n        displayName\n        priceMinor\n        currency\n        perOrderMax\n        available\n        kind\n        seating\n        tableSeats\n        salesState\n        salesStartAt\n        salesEndAt\n      }\n    }\n  }\n": typeof types.EventPageDocument;
  "\n  subscription Availability($event: String!) {\n    availability(event: $event) {\n      event\n      tiers {\n        name\n        available\n      }\n    }\n  }\n": typeof types.AvailabilityDocument;
  "\n  query TierSeatMap($event: String!, $tier: String!) {\n    seatMap(event: $event, tier: $tier) {\n      ...SeatMapFields\n    }\n  }\n": typeof types.TierSeatMapDocument;
  "\n  query Order($event: String!, $id: ID!) {\n    order(event: $event, id: $id) {\n      id\n      number\n      event\n      state\n      totalMinor\n      currency\n      placedAtMs\n      paymentError\n      buyer {\n        name\n        email\n      }\n      lines {\n        tier\n        description\n        quantity\n        unitPriceMinor\n        amountMinor\n      }\n      charges {\n        label\n        amountMinor\n      }\n      tickets {\n        id\n        tier\n        label\n        seat\n        admissions\n        refunded\n      }\n    }\n  }\n": typeof types.OrderDocument;
  "\n  query OrderState($event: String!, $id: ID!) {\n    order(event: $event, id: $id) {\n      id\n      number\n      state\n      paymentError\n    }\n  }\n": typeof types.OrderStateDocument;
  "\n  subscription OrderStatus($event: String!, $orderId: ID!) {\n    orderStatus(event: $event, orderId: $orderId) {\n      orderId\n      number\n      state\n      paymentError\n    }\n  }\n": typeof types.OrderStatusDocument;
  "\n  query MyOrders($first: Int, $after: String) {\n    myOrders(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        number\n        event\n        state\n        totalMinor\n        currency\n        placedAtMs\n        buyer {\n          email\n        }\n        lines {\n          tier\n          description\n          quantity\n        }\n      }\n    }\n  }\n": typeof types.MyOrdersDocument;
  "\n  mutation ResendTickets($orderId: ID!) {\n    resendTickets(orderId: $orderId) {\n      id\n      buyer {\n        email\n      }\n    }\n  }\n": typeof types.ResendTicketsDocument;
  "\n  subscription SeatMapLive($event: String!, $tier: String!) {\n    seatMap(event: $event, tier: $tier) {\n      ...SeatMapFields\n    }\n  }\n": typeof types.SeatMapLiveDocument;
};
const documents: Documents = {
  "\n  mutation Refresh($refreshToken: String!) {\n    refresh(refreshToken: $refreshToken) {\n      accessToken\n      accessTokenExpiresAt\n      refreshToken\n      refreshTokenExpiresAt\n    }\n  }\n":
    types.RefreshDocument,
  "\n  fragment SeatMapFields on SeatMap {\n    event\n    tier\n    section\n    tables\n    seatsPerTable\n    free\n    rows {\n      name\n      seats {\n        label\n        state\n      }\n    }\n  }\n":
    types.SeatMapFieldsFragmentDoc,
  "\n  query Quote($event: String!, $lines: [QuoteLine!]!) {\n    quote(event: $event, lines: $lines) {\n      lines {\n        tier\n        description\n        quantity\n        unitPriceMinor\n        amountMinor\n      }\n      charges {\n        label\n        amountMinor\n      }\n      totalMinor\n      currency\n    }\n  }\n":
    types.QuoteDocument,
  "\n  query EventAnalytics($slug: String!) {\n    event(slug: $slug) {\n      id\n      analytics {\n        googleAnalyticsId\n        segmentWriteKey\n      }\n    }\n  }\n":
    types.EventAnalyticsDocument,
  "\n  mutation RequestLoginCode($email: String!) {\n    requestLoginCode(email: $email) {\n      channel\n      expiresInSeconds\n    }\n  }\n":
    types.RequestLoginCodeDocument,
  "\n  mutation Login($email: String!, $code: String!) {\n    login(email: $email, code: $code) {\n      accessToken\n      accessTokenExpiresAt\n      refreshToken\n      refreshTokenExpiresAt\n    }\n  }\n":
    types.LoginDocument,
  "\n  mutation StartCheckout {\n    startCheckout {\n      token\n      expiresAtMs\n    }\n  }\n":
    types.StartCheckoutDocument,
  "\n  mutation Hold($event: String!, $tier: String!, $quantity: Int, $seats: [String!], $holdId: ID, $checkout: String) {\n    hold(event: $event, tier: $tier, quantity: $quantity, seats: $seats, holdId: $holdId, checkout: $checkout) {\n      id\n      tier\n      quantity\n      seats\n      expiresAtMs\n    }\n  }\n":
    types.HoldDocument,
  "\n  mutation Release($event: String!, $holdId: ID!, $checkout: String) {\n    release(event: $event, holdId: $holdId, checkout: $checkout)\n  }\n":
    types.ReleaseDocument,
  "\n  query PortalConfig {\n    portalConfig {\n      stripePublishableKey\n      stripeJsUrl\n    }\n  }\n":
    types.PortalConfigDocument,
  "\n  mutation CreateOrder(\n    $event: String!\n    $holds: [OrderHoldInput!]!\n    $buyer: BuyerInput\n    $orderId: ID\n    $checkout: String\n    $paymentMethod: String\n  ) {\n    createOrder(\n      event: $event\n      holds: $holds\n      buyer: $buyer\n      orderId: $orderId\n      checkout: $checkout\n      paymentMethod: $paymentMethod\n    ) {\n      id\n      number\n      state\n      totalMinor\n      currency\n      paymentError\n      requiresAction\n      clientSecret\n    }\n  }\n":
    types.CreateOrderDocument,
  "\n  mutation PayOrder($event: String!, $orderId: ID!, $paymentMethod: String!) {\n    payOrder(event: $event, orderId: $orderId, paymentMethod: $paymentMethod) {\n      id\n      number\n      state\n      totalMinor\n      currency\n      paymentError\n      requiresAction\n      clientSecret\n    }\n  }\n":
    types.PayOrderDocument,
  "\n  query EventPage($slug: String!) {\n    event(slug: $slug) {\n      id\n      slug\n      title\n      currency\n      description\n      onSaleAt\n      offSaleAt\n      timezone\n      state\n      days {\n        day\n        doorsAt\n        startsAt\n        endsAt\n        doorsAtLocal\n        startsAtLocal\n        endsAtLocal\n      }\n      venue {\n        name\n        displayName\n        city\n        country\n      }\n      tiers {\n        name\n        displayName\n        priceMinor\n        currency\n        perOrderMax\n        available\n        kind\n        seating\n        tableSeats\n        salesState\n        salesStartAt\n        salesEndAt\n      }\n    }\n  }\n":
    types.EventPageDocument,
  "\n  subscription Availability($event: String!) {\n    availability(event: $event) {\n      event\n      tiers {\n        name\n        available\n      }\n    }\n  }\n":
    types.AvailabilityDocument,
  "\n  query TierSeatMap($event: String!, $tier: String!) {\n    seatMap(event: $event, tier: $tier) {\n      ...SeatMapFields\n    }\n  }\n":
    types.TierSeatMapDocument,
  "\n  query Order($event: String!, $id: ID!) {\n    order(event: $event, id: $id) {\n      id\n      number\n      event\n      state\n      totalMinor\n      currency\n      placedAtMs\n      paymentError\n      buyer {\n        name\n        email\n      }\n      lines {\n        tier\n        description\n        quantity\n        unitPriceMinor\n        amountMinor\n      }\n      charges {\n        label\n        amountMinor\n      }\n      tickets {\n        id\n        tier\n        label\n        seat\n        admissions\n        refunded\n      }\n    }\n  }\n":
    types.OrderDocument,
  "\n  query OrderState($event: String!, $id: ID!) {\n    order(event: $event, id: $id) {\n      id\n      number\n      state\n      paymentError\n    }\n  }\n":
    types.OrderStateDocument,
  "\n  subscription OrderStatus($event: String!, $orderId: ID!) {\n    orderStatus(event: $event, orderId: $orderId) {\n      orderId\n      number\n      state\n      paymentError\n    }\n  }\n":
    types.OrderStatusDocument,
  "\n  query MyOrders($first: Int, $after: String) {\n    myOrders(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        number\n        event\n        state\n        totalMinor\n        currency\n        placedAtMs\n        buyer {\n          email\n        }\n        lines {\n          tier\n          description\n          quantity\n        }\n      }\n    }\n  }\n":
    types.MyOrdersDocument,
  "\n  mutation ResendTickets($orderId: ID!) {\n    resendTickets(orderId: $orderId) {\n      id\n      buyer {\n        email\n      }\n    }\n  }\n":
    types.ResendTicketsDocument,
  "\n  subscription SeatMapLive($event: String!, $tier: String!) {\n    seatMap(event: $event, tier: $tier) {\n      ...SeatMapFields\n    }\n  }\n":
    types.SeatMapLiveDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation Refresh($refreshToken: String!) {\n    refresh(refreshToken: $refreshToken) {\n      accessToken\n      accessTokenExpiresAt\n      refreshToken\n      refreshTokenExpiresAt\n    }\n  }\n",
): (typeof documents)["\n  mutation Refresh($refreshToken: String!) {\n    refresh(refreshToken: $refreshToken) {\n      accessToken\n      accessTokenExpiresAt\n      refreshToken\n      refreshTokenExpiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  fragment SeatMapFields on SeatMap {\n    event\n    tier\n    section\n    tables\n    seatsPerTable\n    free\n    rows {\n      name\n      seats {\n        label\n        state\n      }\n    }\n  }\n",
): (typeof documents)["\n  fragment SeatMapFields on SeatMap {\n    event\n    tier\n    section\n    tables\n    seatsPerTable\n    free\n    rows {\n      name\n      seats {\n        label\n        state\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query Quote($event: String!, $lines: [QuoteLine!]!) {\n    quote(event: $event, lines: $lines) {\n      lines {\n        tier\n        description\n        quantity\n        unitPriceMinor\n        amountMinor\n      }\n      charges {\n        label\n        amountMinor\n      }\n      totalMinor\n      currency\n    }\n  }\n",
): (typeof documents)["\n  query Quote($event: String!, $lines: [QuoteLine!]!) {\n    quote(event: $event, lines: $lines) {\n      lines {\n        tier\n        description\n        quantity\n        unitPriceMinor\n        amountMinor\n      }\n      charges {\n        label\n        amountMinor\n      }\n      totalMinor\n      currency\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query EventAnalytics($slug: String!) {\n    event(slug: $slug) {\n      id\n      analytics {\n        googleAnalyticsId\n        segmentWriteKey\n      }\n    }\n  }\n",
): (typeof documents)["\n  query EventAnalytics($slug: String!) {\n    event(slug: $slug) {\n      id\n      analytics {\n        googleAnalyticsId\n        segmentWriteKey\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation RequestLoginCode($email: String!) {\n    requestLoginCode(email: $email) {\n      channel\n      expiresInSeconds\n    }\n  }\n",
): (typeof documents)["\n  mutation RequestLoginCode($email: String!) {\n    requestLoginCode(email: $email) {\n      channel\n      expiresInSeconds\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation Login($email: String!, $code: String!) {\n    login(email: $email, code: $code) {\n      accessToken\n      accessTokenExpiresAt\n      refreshToken\n      refreshTokenExpiresAt\n    }\n  }\n",
): (typeof documents)["\n  mutation Login($email: String!, $code: String!) {\n    login(email: $email, code: $code) {\n      accessToken\n      accessTokenExpiresAt\n      refreshToken\n      refreshTokenExpiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation StartCheckout {\n    startCheckout {\n      token\n      expiresAtMs\n    }\n  }\n",
): (typeof documents)["\n  mutation StartCheckout {\n    startCheckout {\n      token\n      expiresAtMs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation Hold($event: String!, $tier: String!, $quantity: Int, $seats: [String!], $holdId: ID, $checkout: String) {\n    hold(event: $event, tier: $tier, quantity: $quantity, seats: $seats, holdId: $holdId, checkout: $checkout) {\n      id\n      tier\n      quantity\n      seats\n      expiresAtMs\n    }\n  }\n",
): (typeof documents)["\n  mutation Hold($event: String!, $tier: String!, $quantity: Int, $seats: [String!], $holdId: ID, $checkout: String) {\n    hold(event: $event, tier: $tier, quantity: $quantity, seats: $seats, holdId: $holdId, checkout: $checkout) {\n      id\n      tier\n      quantity\n      seats\n      expiresAtMs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation Release($event: String!, $holdId: ID!, $checkout: String) {\n    release(event: $event, holdId: $holdId, checkout: $checkout)\n  }\n",
): (typeof documents)["\n  mutation Release($event: String!, $holdId: ID!, $checkout: String) {\n    release(event: $event, holdId: $holdId, checkout: $checkout)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query PortalConfig {\n    portalConfig {\n      stripePublishableKey\n      stripeJsUrl\n    }\n  }\n",
): (typeof documents)["\n  query PortalConfig {\n    portalConfig {\n      stripePublishableKey\n      stripeJsUrl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation CreateOrder(\n    $event: String!\n    $holds: [OrderHoldInput!]!\n    $buyer: BuyerInput\n    $orderId: ID\n    $checkout: String\n    $paymentMethod: String\n  ) {\n    createOrder(\n      event: $event\n      holds: $holds\n      buyer: $buyer\n      orderId: $orderId\n      checkout: $checkout\n      paymentMethod: $paymentMethod\n    ) {\n      id\n      number\n      state\n      totalMinor\n      currency\n      paymentError\n      requiresAction\n      clientSecret\n    }\n  }\n",
): (typeof documents)["\n  mutation CreateOrder(\n    $event: String!\n    $holds: [OrderHoldInput!]!\n    $buyer: BuyerInput\n    $orderId: ID\n    $checkout: String\n    $paymentMethod: String\n  ) {\n    createOrder(\n      event: $event\n      holds: $holds\n      buyer: $buyer\n      orderId: $orderId\n      checkout: $checkout\n      paymentMethod: $paymentMethod\n    ) {\n      id\n      number\n      state\n      totalMinor\n      currency\n      paymentError\n      requiresAction\n      clientSecret\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation PayOrder($event: String!, $orderId: ID!, $paymentMethod: String!) {\n    payOrder(event: $event, orderId: $orderId, paymentMethod: $paymentMethod) {\n      id\n      number\n      state\n      totalMinor\n      currency\n      paymentError\n      requiresAction\n      clientSecret\n    }\n  }\n",
): (typeof documents)["\n  mutation PayOrder($event: String!, $orderId: ID!, $paymentMethod: String!) {\n    payOrder(event: $event, orderId: $orderId, paymentMethod: $paymentMethod) {\n      id\n      number\n      state\n      totalMinor\n      currency\n      paymentError\n      requiresAction\n      clientSecret\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query EventPage($slug: String!) {\n    event(slug: $slug) {\n      id\n      slug\n      title\n      currency\n      description\n      onSaleAt\n      offSaleAt\n      timezone\n      state\n      days {\n        day\n        doorsAt\n        startsAt\n        endsAt\n        doorsAtLocal\n        startsAtLocal\n        endsAtLocal\n      }\n      venue {\n        name\n        displayName\n        city\n        country\n      }\n      tiers {\n        name\n        displayName\n        priceMinor\n        currency\n        perOrderMax\n        available\n        kind\n        seating\n        tableSeats\n        salesState\n        salesStartAt\n        salesEndAt\n      }\n    }\n  }\n",
): (typeof documents)["\n  query EventPage($slug: String!) {\n    event(slug: $slug) {\n      id\n      slug\n      title\n      currency\n      description\n      onSaleAt\n      offSaleAt\n      timezone\n      state\n      days {\n        day\n        doorsAt\n        startsAt\n        endsAt\n        doorsAtLocal\n        startsAtLocal\n        endsAtLocal\n      }\n      venue {\n        name\n        displayName\n        city\n        country\n      }\n      tiers {\n        name\n        displayName\n        priceMinor\n        currency\n        perOrderMax\n        available\n        kind\n        seating\n        tableSeats\n        salesState\n        salesStartAt\n        salesEndAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  subscription Availability($event: String!) {\n    availability(event: $event) {\n      event\n      tiers {\n        name\n        available\n      }\n    }\n  }\n",
): (typeof documents)["\n  subscription Availability($event: String!) {\n    availability(event: $event) {\n      event\n      tiers {\n        name\n        available\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query TierSeatMap($event: String!, $tier: String!) {\n    seatMap(event: $event, tier: $tier) {\n      ...SeatMapFields\n    }\n  }\n",
): (typeof documents)["\n  query TierSeatMap($event: String!, $tier: String!) {\n    seatMap(event: $event, tier: $tier) {\n      ...SeatMapFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query Order($event: String!, $id: ID!) {\n    order(event: $event, id: $id) {\n      id\n      number\n      event\n      state\n      totalMinor\n      currency\n      placedAtMs\n      paymentError\n      buyer {\n        name\n        email\n      }\n      lines {\n        tier\n        description\n        quantity\n        unitPriceMinor\n        amountMinor\n      }\n      charges {\n        label\n        amountMinor\n      }\n      tickets {\n        id\n        tier\n        label\n        seat\n        admissions\n        refunded\n      }\n    }\n  }\n",
): (typeof documents)["\n  query Order($event: String!, $id: ID!) {\n    order(event: $event, id: $id) {\n      id\n      number\n      event\n      state\n      totalMinor\n      currency\n      placedAtMs\n      paymentError\n      buyer {\n        name\n        email\n      }\n      lines {\n        tier\n        description\n        quantity\n        unitPriceMinor\n        amountMinor\n      }\n      charges {\n        label\n        amountMinor\n      }\n      tickets {\n        id\n        tier\n        label\n        seat\n        admissions\n        refunded\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query OrderState($event: String!, $id: ID!) {\n    order(event: $event, id: $id) {\n      id\n      number\n      state\n      paymentError\n    }\n  }\n",
): (typeof documents)["\n  query OrderState($event: String!, $id: ID!) {\n    order(event: $event, id: $id) {\n      id\n      number\n      state\n      paymentError\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  subscription OrderStatus($event: String!, $orderId: ID!) {\n    orderStatus(event: $event, orderId: $orderId) {\n      orderId\n      number\n      state\n      paymentError\n    }\n  }\n",
): (typeof documents)["\n  subscription OrderStatus($event: String!, $orderId: ID!) {\n    orderStatus(event: $event, orderId: $orderId) {\n      orderId\n      number\n      state\n      paymentError\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query MyOrders($first: Int, $after: String) {\n    myOrders(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        number\n        event\n        state\n        totalMinor\n        currency\n        placedAtMs\n        buyer {\n          email\n        }\n        lines {\n          tier\n          description\n          quantity\n        }\n      }\n    }\n  }\n",
): (typeof documents)["\n  query MyOrders($first: Int, $after: String) {\n    myOrders(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        number\n        event\n        state\n        totalMinor\n        currency\n        placedAtMs\n        buyer {\n          email\n        }\n        lines {\n          tier\n          description\n          quantity\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation ResendTickets($orderId: ID!) {\n    resendTickets(orderId: $orderId) {\n      id\n      buyer {\n        email\n      }\n    }\n  }\n",
): (typeof documents)["\n  mutation ResendTickets($orderId: ID!) {\n    resendTickets(orderId: $orderId) {\n      id\n      buyer {\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  subscription SeatMapLive($event: String!, $tier: String!) {\n    seatMap(event: $event, tier: $tier) {\n      ...SeatMapFields\n    }\n  }\n",
): (typeof documents)["\n  subscription SeatMapLive($event: String!, $tier: String!) {\n    seatMap(event: $event, tier: $tier) {\n      ...SeatMapFields\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> =
  TDocumentNode extends DocumentNode<infer TType, any> ? TType : never;
