/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends " $fragmentName" | "__typename" ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from "@graphql-typed-document-node/core";
/** Who buys: the tickets are e-mailed to `email`. */
export type BuyerInput = {
  /**
   * Roughly where the buyer is, only when they chose to share it (the
   * portal asks): rounded down to a 0.1-degree cell (about 11 km)
   * before it goes further, and shown to the promoter only as orders
   * per cell on the buyer map (`buyerMap`).
   */
  area?: GeoInput | null | undefined;
  /** E-mail address the tickets are sent to. */
  email?: string | null | undefined;
  /** Name for the tickets and the greeting. */
  name?: string | null | undefined;
  /** Phone number in E.164 form (`+447700900123`), for an SMS. */
  phone?: string | null | undefined;
};

/** A point on the map. */
export type GeoInput = {
  /** Latitude in degrees, -90 to 90. */
  latitude: number;
  /** Longitude in degrees, -180 to 180. */
  longitude: number;
};

/** How a login code is sent. */
export type LoginChannel =
  /** By e-mail. */
  | "EMAIL"
  /** By text message. */
  | "SMS";

/** A held tier an order buys (from the `hold` mutation). */
export type OrderHoldInput = {
  /** The hold's id. */
  holdId: string | number;
  /** Its quantity, as held. */
  quantity: number;
  /** Its seats, as held (seated tiers only). */
  seats?: Array<string>;
  /** Its tier, as held. */
  tier: string;
};

/** Where an order is in its life. */
export type OrderState =
  /**
   * Placed; waiting for the buyer's payment (confirm it with
   * `clientSecret`).
   */
  | "AWAITING_PAYMENT"
  /** Cancelled before it was paid. */
  | "CANCELLED"
  /** Tickets issued and e-mailed. */
  | "COMPLETED"
  /** Paid (or free): its tickets are being issued. */
  | "PAID"
  /**
   * The payment failed; the held tickets were given back. Place a new
   * order to try again.
   */
  | "PAYMENT_FAILED"
  /** Every ticket refunded. */
  | "REFUNDED"
  /**
   * Paid after its hold ran out and the tickets were sold meanwhile
   * (or after it was cancelled): the payment is being refunded.
   */
  | "REFUND_NEEDED";

/** Tickets to price: a tier and how many. */
export type QuoteLine = {
  /** How many (tables, for a table tier). */
  quantity: number;
  /** The tier's name. */
  tier: string;
};

/** Whether a tier can be bought now. */
export type SalesState =
  /** Its sales have not opened yet (`salesStartAt`). */
  | "NOT_YET_ON_SALE"
  /** On sale. */
  | "ON_SALE"
  /** Its sales have closed, or the event is cancelled. */
  | "SALES_ENDED"
  /** None left. */
  | "SOLD_OUT";

/** What a seat (or table) is now. */
export type SeatState =
  /** Nobody holds it: it can be held. */
  | "FREE"
  /** A checkout holds it (it may pay for it or let it go). */
  | "HELD"
  /** Paid for. */
  | "SOLD";

/** How a tier's places are sold. */
export type Seating =
  /** Any place in its area: hold a quantity. */
  | "GENERAL_ADMISSION"
  /** Specific seats: pick them on the seat map. */
  | "SEATED"
  /** Whole tables: pick them on the seat map. */
  | "TABLE";

/** What a tier is. */
export type TierKindView =
  /** Goes with an admission (parking, merchandise). */
  | "ADD_ON"
  /** Gets people in. */
  | "ADMISSION";

export type RefreshMutationVariables = Exact<{
  refreshToken: string;
}>;

export type RefreshMutation = {
  refresh: { accessToken: string; accessTokenExpiresAt: string; refreshToken: string; refreshTokenExpiresAt: string };
};

export type SeatMapFieldsFragment = {
  event: string;
  tier: string;
  section: string;
  tables: boolean;
  seatsPerTable: number | null;
  free: number;
  rows: Array<{ name: string; seats: Array<{ label: string; state: SeatState }> }>;
};

export type QuoteQueryVariables = Exact<{
  event: string;
  lines: Array<QuoteLine> | QuoteLine;
}>;

export type QuoteQuery = {
  quote: {
    totalMinor: number;
    currency: string;
    lines: Array<{ tier: string; description: string; quantity: number; unitPriceMinor: number; amountMinor: number }>;
    charges: Array<{ label: string; amountMinor: number }>;
  };
};

export type EventAnalyticsQueryVariables = Exact<{
  slug: string;
}>;

export type EventAnalyticsQuery = {
  event: { id: string; analytics: { googleAnalyticsId: string | null; segmentWriteKey: string | null } | null } | null;
};

export type RequestLoginCodeMutationVariables = Exact<{
  email: string;
}>;

export type RequestLoginCodeMutation = { requestLoginCode: { channel: LoginChannel; expiresInSeconds: number } };

export type LoginMutationVariables = Exact<{
  email: string;
  code: string;
}>;

export type LoginMutation = {
  login: { accessToken: string; accessTokenExpiresAt: string; refreshToken: string; refreshTokenExpiresAt: string };
};

export type StartCheckoutMutationVariables = Exact<{ [key: string]: never }>;

export type StartCheckoutMutation = { startCheckout: { token: string; expiresAtMs: number } };

export type HoldMutationVariables = Exact<{
  event: string;
  tier: string;
  quantity?: number | null | undefined;
  seats?: Array<string> | string | null | undefined;
  holdId?: string | number | null | undefined;
  checkout?: string | null | undefined;
}>;

export type HoldMutation = {
  hold: { id: string; tier: string; quantity: number; seats: Array<string>; expiresAtMs: number } | null;
};

export type ReleaseMutationVariables = Exact<{
  event: string;
  holdId: string | number;
  checkout?: string | null | undefined;
}>;

export type ReleaseMutation = { release: boolean };

export type PortalConfigQueryVariables = Exact<{ [key: string]: never }>;

export type PortalConfigQuery = { portalConfig: { stripePublishableKey: string | null; stripeJsUrl: string } };

export type CreateOrderMutationVariables = Exact<{
  event: string;
  holds: Array<OrderHoldInput> | OrderHoldInput;
  buyer?: BuyerInput | null | undefined;
  orderId?: string | number | null | undefined;
  checkout?: string | null | undefined;
  paymentMethod?: string | null | undefined;
}>;

export type CreateOrderMutation = {
  createOrder: {
    id: string;
    number: string;
    state: OrderState;
    totalMinor: number;
    currency: string;
    paymentError: string | null;
    requiresAction: boolean;
    clientSecret: string | null;
  };
};

export type PayOrderMutationVariables = Exact<{
  event: string;
  orderId: string | number;
  paymentMethod: string;
}>;

export type PayOrderMutation = {
  payOrder: {
    id: string;
    number: string;
    state: OrderState;
    totalMinor: number;
    currency: string;
    paymentError: string | null;
    requiresAction: boolean;
    clientSecret: string | null;
  };
};

export type EventPageQueryVariables = Exact<{
  slug: string;
}>;

export type EventPageQuery = {
  event: {
    id: string;
    slug: string;
    title: string;
    currency: string;
    description: string | null;
    onSaleAt: string;
    offSaleAt: string | null;
    timezone: string | null;
    state: string;
    days: Array<{
      day: number;
      doorsAt: string;
      startsAt: string;
      endsAt: string;
      doorsAtLocal: string | null;
      startsAtLocal: string | null;
      endsAtLocal: string | null;
    }>;
    venue: { name: string; displayName: string; city: string; country: string } | null;
    tiers: Array<{
      name: string;
      displayName: string;
      priceMinor: number;
      currency: string;
      perOrderMax: number;
      available: number | null;
      kind: TierKindView;
      seating: Seating;
      tableSeats: number | null;
      salesState: SalesState;
      salesStartAt: string;
      salesEndAt: string | null;
    }>;
  } | null;
};

export type AvailabilitySubscriptionVariables = Exact<{
  event: string;
}>;

export type AvailabilitySubscription = {
  availability: { event: string; tiers: Array<{ name: string; available: number | null }> };
};

export type TierSeatMapQueryVariables = Exact<{
  event: string;
  tier: string;
}>;

export type TierSeatMapQuery = {
  seatMap: {
    event: string;
    tier: string;
    section: string;
    tables: boolean;
    seatsPerTable: number | null;
    free: number;
    rows: Array<{ name: string; seats: Array<{ label: string; state: SeatState }> }>;
  };
};

export type OrderQueryVariables = Exact<{
  event: string;
  id: string | number;
}>;

export type OrderQuery = {
  order: {
    id: string;
    number: string;
    event: string | null;
    state: OrderState;
    totalMinor: number;
    currency: string;
    placedAtMs: number;
    paymentError: string | null;
    buyer: { name: string; email: string };
    lines: Array<{ tier: string; description: string; quantity: number; unitPriceMinor: number; amountMinor: number }>;
    charges: Array<{ label: string; amountMinor: number }>;
    tickets: Array<{
      id: string;
      tier: string;
      label: string;
      seat: string | null;
      admissions: number;
      refunded: boolean;
    }>;
  };
};

export type OrderStateQueryVariables = Exact<{
  event: string;
  id: string | number;
}>;

export type OrderStateQuery = { order: { id: string; number: string; state: OrderState; paymentError: string | null } };

export type OrderStatusSubscriptionVariables = Exact<{
  event: string;
  orderId: string | number;
}>;

export type OrderStatusSubscription = {
  orderStatus: { orderId: string; number: string; state: string; paymentError: string | null };
};

export type MyOrdersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;

export type MyOrdersQuery = {
  myOrders: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{
      id: string;
      number: string;
      event: string | null;
      state: OrderState;
      totalMinor: number;
      currency: string;
      placedAtMs: number;
      buyer: { email: string };
      lines: Array<{ tier: string; description: string; quantity: number }>;
    }>;
  };
};

export type ResendTicketsMutationVariables = Exact<{
  orderId: string | number;
}>;

export type ResendTicketsMutation = { resendTickets: { id: string; buyer: { email: string } } };

export type SeatMapLiveSubscriptionVariables = Exact<{
  event: string;
  tier: string;
}>;

export type SeatMapLiveSubscription = {
  seatMap: {
    event: string;
    tier: string;
    section: string;
    tables: boolean;
    seatsPerTable: number | null;
    free: number;
    rows: Array<{ name: string; seats: Array<{ label: string; state: SeatState }> }>;
  };
};

export const SeatMapFieldsFragmentDoc = {
  kind: "Document",
  definitions: [
    {
      kind: "FragmentDefinition",
      name: { kind: "Name", value: "SeatMapFields" },
      typeCondition: { kind: "NamedType", name: { kind: "Name", value: "SeatMap" } },
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          { kind: "Field", name: { kind: "Name", value: "event" } },
          { kind: "Field", name: { kind: "Name", value: "tier" } },
          { kind: "Field", name: { kind: "Name", value: "section" } },
          { kind: "Field", name: { kind: "Name", value: "tables" } },
          { kind: "Field", name: { kind: "Name", value: "seatsPerTable" } },
          { kind: "Field", name: { kind: "Name", value: "free" } },
          {
            kind: "Field",
            name: { kind: "Name", value: "rows" },
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "name" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "seats" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "label" } },
                      { kind: "Field", name: { kind: "Name", value: "state" } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SeatMapFieldsFragment, unknown>;
export const RefreshDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "Refresh" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "refreshToken" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "refresh" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "refreshToken" },
                value: { kind: "Variable", name: { kind: "Name", value: "refreshToken" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "accessToken" } },
                { kind: "Field", name: { kind: "Name", value: "accessTokenExpiresAt" } },
                { kind: "Field", name: { kind: "Name", value: "refreshToken" } },
                { kind: "Field", name: { kind: "Name", value: "refreshTokenExpiresAt" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<RefreshMutation, RefreshMutationVariables>;
export const QuoteDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "Quote" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "event" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "lines" } },
          type: {
            kind: "NonNullType",
            type: {
              kind: "ListType",
              type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "QuoteLine" } } },
            },
          },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "quote" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "lines" },
                value: { kind: "Variable", name: { kind: "Name", value: "lines" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                {
                  kind: "Field",
                  name: { kind: "Name", value: "lines" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "tier" } },
                      { kind: "Field", name: { kind: "Name", value: "description" } },
                      { kind: "Field", name: { kind: "Name", value: "quantity" } },
                      { kind: "Field", name: { kind: "Name", value: "unitPriceMinor" } },
                      { kind: "Field", name: { kind: "Name", value: "amountMinor" } },
                    ],
                  },
                },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "charges" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "label" } },
                      { kind: "Field", name: { kind: "Name", value: "amountMinor" } },
                    ],
                  },
                },
                { kind: "Field", name: { kind: "Name", value: "totalMinor" } },
                { kind: "Field", name: { kind: "Name", value: "currency" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<QuoteQuery, QuoteQueryVariables>;
export const EventAnalyticsDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "EventAnalytics" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "slug" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "event" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "slug" },
                value: { kind: "Variable", name: { kind: "Name", value: "slug" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "id" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "analytics" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "googleAnalyticsId" } },
                      { kind: "Field", name: { kind: "Name", value: "segmentWriteKey" } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<EventAnalyticsQuery, EventAnalyticsQueryVariables>;
export const RequestLoginCodeDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "RequestLoginCode" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "email" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "requestLoginCode" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "email" },
                value: { kind: "Variable", name: { kind: "Name", value: "email" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "channel" } },
                { kind: "Field", name: { kind: "Name", value: "expiresInSeconds" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<RequestLoginCodeMutation, RequestLoginCodeMutationVariables>;
export const LoginDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "Login" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "email" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "code" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "login" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "email" },
                value: { kind: "Variable", name: { kind: "Name", value: "email" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "code" },
                value: { kind: "Variable", name: { kind: "Name", value: "code" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "accessToken" } },
                { kind: "Field", name: { kind: "Name", value: "accessTokenExpiresAt" } },
                { kind: "Field", name: { kind: "Name", value: "refreshToken" } },
                { kind: "Field", name: { kind: "Name", value: "refreshTokenExpiresAt" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<LoginMutation, LoginMutationVariables>;
export const StartCheckoutDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "StartCheckout" },
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "startCheckout" },
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "token" } },
                { kind: "Field", name: { kind: "Name", value: "expiresAtMs" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<StartCheckoutMutation, StartCheckoutMutationVariables>;
export const HoldDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "Hold" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "event" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "tier" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "quantity" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "Int" } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "seats" } },
          type: {
            kind: "ListType",
            type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
          },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "holdId" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "ID" } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "checkout" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "String" } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "hold" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "tier" },
                value: { kind: "Variable", name: { kind: "Name", value: "tier" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "quantity" },
                value: { kind: "Variable", name: { kind: "Name", value: "quantity" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "seats" },
                value: { kind: "Variable", name: { kind: "Name", value: "seats" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "holdId" },
                value: { kind: "Variable", name: { kind: "Name", value: "holdId" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "checkout" },
                value: { kind: "Variable", name: { kind: "Name", value: "checkout" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "id" } },
                { kind: "Field", name: { kind: "Name", value: "tier" } },
                { kind: "Field", name: { kind: "Name", value: "quantity" } },
                { kind: "Field", name: { kind: "Name", value: "seats" } },
                { kind: "Field", name: { kind: "Name", value: "expiresAtMs" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<HoldMutation, HoldMutationVariables>;
export const ReleaseDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "Release" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "event" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "holdId" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "ID" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "checkout" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "String" } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "release" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "holdId" },
                value: { kind: "Variable", name: { kind: "Name", value: "holdId" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "checkout" },
                value: { kind: "Variable", name: { kind: "Name", value: "checkout" } },
              },
            ],
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ReleaseMutation, ReleaseMutationVariables>;
export const PortalConfigDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "PortalConfig" },
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "portalConfig" },
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "stripePublishableKey" } },
                { kind: "Field", name: { kind: "Name", value: "stripeJsUrl" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<PortalConfigQuery, PortalConfigQueryVariables>;
export const CreateOrderDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "CreateOrder" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "event" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "holds" } },
          type: {
            kind: "NonNullType",
            type: {
              kind: "ListType",
              type: {
                kind: "NonNullType",
                type: { kind: "NamedType", name: { kind: "Name", value: "OrderHoldInput" } },
              },
            },
          },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "buyer" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "BuyerInput" } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "orderId" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "ID" } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "checkout" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "String" } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "paymentMethod" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "String" } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "createOrder" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "holds" },
                value: { kind: "Variable", name: { kind: "Name", value: "holds" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "buyer" },
                value: { kind: "Variable", name: { kind: "Name", value: "buyer" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "orderId" },
                value: { kind: "Variable", name: { kind: "Name", value: "orderId" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "checkout" },
                value: { kind: "Variable", name: { kind: "Name", value: "checkout" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "paymentMethod" },
                value: { kind: "Variable", name: { kind: "Name", value: "paymentMethod" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "id" } },
                { kind: "Field", name: { kind: "Name", value: "number" } },
                { kind: "Field", name: { kind: "Name", value: "state" } },
                { kind: "Field", name: { kind: "Name", value: "totalMinor" } },
                { kind: "Field", name: { kind: "Name", value: "currency" } },
                { kind: "Field", name: { kind: "Name", value: "paymentError" } },
                { kind: "Field", name: { kind: "Name", value: "requiresAction" } },
                { kind: "Field", name: { kind: "Name", value: "clientSecret" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<CreateOrderMutation, CreateOrderMutationVariables>;
export const PayOrderDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "PayOrder" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "event" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "orderId" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "ID" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "paymentMethod" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "payOrder" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "orderId" },
                value: { kind: "Variable", name: { kind: "Name", value: "orderId" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "paymentMethod" },
                value: { kind: "Variable", name: { kind: "Name", value: "paymentMethod" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "id" } },
                { kind: "Field", name: { kind: "Name", value: "number" } },
                { kind: "Field", name: { kind: "Name", value: "state" } },
                { kind: "Field", name: { kind: "Name", value: "totalMinor" } },
                { kind: "Field", name: { kind: "Name", value: "currency" } },
                { kind: "Field", name: { kind: "Name", value: "paymentError" } },
                { kind: "Field", name: { kind: "Name", value: "requiresAction" } },
                { kind: "Field", name: { kind: "Name", value: "clientSecret" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<PayOrderMutation, PayOrderMutationVariables>;
export const EventPageDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "EventPage" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "slug" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "event" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "slug" },
                value: { kind: "Variable", name: { kind: "Name", value: "slug" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "id" } },
                { kind: "Field", name: { kind: "Name", value: "slug" } },
                { kind: "Field", name: { kind: "Name", value: "title" } },
                { kind: "Field", name: { kind: "Name", value: "currency" } },
                { kind: "Field", name: { kind: "Name", value: "description" } },
                { kind: "Field", name: { kind: "Name", value: "onSaleAt" } },
                { kind: "Field", name: { kind: "Name", value: "offSaleAt" } },
                { kind: "Field", name: { kind: "Name", value: "timezone" } },
                { kind: "Field", name: { kind: "Name", value: "state" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "days" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "day" } },
                      { kind: "Field", name: { kind: "Name", value: "doorsAt" } },
                      { kind: "Field", name: { kind: "Name", value: "startsAt" } },
                      { kind: "Field", name: { kind: "Name", value: "endsAt" } },
                      { kind: "Field", name: { kind: "Name", value: "doorsAtLocal" } },
                      { kind: "Field", name: { kind: "Name", value: "startsAtLocal" } },
                      { kind: "Field", name: { kind: "Name", value: "endsAtLocal" } },
                    ],
                  },
                },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "venue" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "name" } },
                      { kind: "Field", name: { kind: "Name", value: "displayName" } },
                      { kind: "Field", name: { kind: "Name", value: "city" } },
                      { kind: "Field", name: { kind: "Name", value: "country" } },
                    ],
                  },
                },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "tiers" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "name" } },
                      { kind: "Field", name: { kind: "Name", value: "displayName" } },
                      { kind: "Field", name: { kind: "Name", value: "priceMinor" } },
                      { kind: "Field", name: { kind: "Name", value: "currency" } },
                      { kind: "Field", name: { kind: "Name", value: "perOrderMax" } },
                      { kind: "Field", name: { kind: "Name", value: "available" } },
                      { kind: "Field", name: { kind: "Name", value: "kind" } },
                      { kind: "Field", name: { kind: "Name", value: "seating" } },
                      { kind: "Field", name: { kind: "Name", value: "tableSeats" } },
                      { kind: "Field", name: { kind: "Name", value: "salesState" } },
                      { kind: "Field", name: { kind: "Name", value: "salesStartAt" } },
                      { kind: "Field", name: { kind: "Name", value: "salesEndAt" } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<EventPageQuery, EventPageQueryVariables>;
export const AvailabilityDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "subscription",
      name: { kind: "Name", value: "Availability" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "event" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "availability" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "event" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "tiers" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "name" } },
                      { kind: "Field", name: { kind: "Name", value: "available" } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<AvailabilitySubscription, AvailabilitySubscriptionVariables>;
export const TierSeatMapDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "TierSeatMap" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "event" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "tier" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "seatMap" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "tier" },
                value: { kind: "Variable", name: { kind: "Name", value: "tier" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [{ kind: "FragmentSpread", name: { kind: "Name", value: "SeatMapFields" } }],
            },
          },
        ],
      },
    },
    {
      kind: "FragmentDefinition",
      name: { kind: "Name", value: "SeatMapFields" },
      typeCondition: { kind: "NamedType", name: { kind: "Name", value: "SeatMap" } },
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          { kind: "Field", name: { kind: "Name", value: "event" } },
          { kind: "Field", name: { kind: "Name", value: "tier" } },
          { kind: "Field", name: { kind: "Name", value: "section" } },
          { kind: "Field", name: { kind: "Name", value: "tables" } },
          { kind: "Field", name: { kind: "Name", value: "seatsPerTable" } },
          { kind: "Field", name: { kind: "Name", value: "free" } },
          {
            kind: "Field",
            name: { kind: "Name", value: "rows" },
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "name" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "seats" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "label" } },
                      { kind: "Field", name: { kind: "Name", value: "state" } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TierSeatMapQuery, TierSeatMapQueryVariables>;
export const OrderDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "Order" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "event" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "id" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "ID" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "order" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "id" },
                value: { kind: "Variable", name: { kind: "Name", value: "id" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "id" } },
                { kind: "Field", name: { kind: "Name", value: "number" } },
                { kind: "Field", name: { kind: "Name", value: "event" } },
                { kind: "Field", name: { kind: "Name", value: "state" } },
                { kind: "Field", name: { kind: "Name", value: "totalMinor" } },
                { kind: "Field", name: { kind: "Name", value: "currency" } },
                { kind: "Field", name: { kind: "Name", value: "placedAtMs" } },
                { kind: "Field", name: { kind: "Name", value: "paymentError" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "buyer" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "name" } },
                      { kind: "Field", name: { kind: "Name", value: "email" } },
                    ],
                  },
                },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "lines" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "tier" } },
                      { kind: "Field", name: { kind: "Name", value: "description" } },
                      { kind: "Field", name: { kind: "Name", value: "quantity" } },
                      { kind: "Field", name: { kind: "Name", value: "unitPriceMinor" } },
                      { kind: "Field", name: { kind: "Name", value: "amountMinor" } },
                    ],
                  },
                },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "charges" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "label" } },
                      { kind: "Field", name: { kind: "Name", value: "amountMinor" } },
                    ],
                  },
                },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "tickets" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "id" } },
                      { kind: "Field", name: { kind: "Name", value: "tier" } },
                      { kind: "Field", name: { kind: "Name", value: "label" } },
                      { kind: "Field", name: { kind: "Name", value: "seat" } },
                      { kind: "Field", name: { kind: "Name", value: "admissions" } },
                      { kind: "Field", name: { kind: "Name", value: "refunded" } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<OrderQuery, OrderQueryVariables>;
export const OrderStateDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "OrderState" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "event" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "id" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "ID" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "order" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "id" },
                value: { kind: "Variable", name: { kind: "Name", value: "id" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "id" } },
                { kind: "Field", name: { kind: "Name", value: "number" } },
                { kind: "Field", name: { kind: "Name", value: "state" } },
                { kind: "Field", name: { kind: "Name", value: "paymentError" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<OrderStateQuery, OrderStateQueryVariables>;
export const OrderStatusDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "subscription",
      name: { kind: "Name", value: "OrderStatus" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "event" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "orderId" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "ID" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "orderStatus" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "orderId" },
                value: { kind: "Variable", name: { kind: "Name", value: "orderId" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "orderId" } },
                { kind: "Field", name: { kind: "Name", value: "number" } },
                { kind: "Field", name: { kind: "Name", value: "state" } },
                { kind: "Field", name: { kind: "Name", value: "paymentError" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<OrderStatusSubscription, OrderStatusSubscriptionVariables>;
export const MyOrdersDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "MyOrders" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "first" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "Int" } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "after" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "String" } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "myOrders" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "first" },
                value: { kind: "Variable", name: { kind: "Name", value: "first" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "after" },
                value: { kind: "Variable", name: { kind: "Name", value: "after" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                {
                  kind: "Field",
                  name: { kind: "Name", value: "pageInfo" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "hasNextPage" } },
                      { kind: "Field", name: { kind: "Name", value: "endCursor" } },
                    ],
                  },
                },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "nodes" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "id" } },
                      { kind: "Field", name: { kind: "Name", value: "number" } },
                      { kind: "Field", name: { kind: "Name", value: "event" } },
                      { kind: "Field", name: { kind: "Name", value: "state" } },
                      { kind: "Field", name: { kind: "Name", value: "totalMinor" } },
                      { kind: "Field", name: { kind: "Name", value: "currency" } },
                      { kind: "Field", name: { kind: "Name", value: "placedAtMs" } },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "buyer" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [{ kind: "Field", name: { kind: "Name", value: "email" } }],
                        },
                      },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "lines" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            { kind: "Field", name: { kind: "Name", value: "tier" } },
                            { kind: "Field", name: { kind: "Name", value: "description" } },
                            { kind: "Field", name: { kind: "Name", value: "quantity" } },
                          ],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<MyOrdersQuery, MyOrdersQueryVariables>;
export const ResendTicketsDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "ResendTickets" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "orderId" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "ID" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "resendTickets" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "orderId" },
                value: { kind: "Variable", name: { kind: "Name", value: "orderId" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "id" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "buyer" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [{ kind: "Field", name: { kind: "Name", value: "email" } }],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ResendTicketsMutation, ResendTicketsMutationVariables>;
export const SeatMapLiveDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "subscription",
      name: { kind: "Name", value: "SeatMapLive" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "event" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "tier" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "seatMap" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "tier" },
                value: { kind: "Variable", name: { kind: "Name", value: "tier" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [{ kind: "FragmentSpread", name: { kind: "Name", value: "SeatMapFields" } }],
            },
          },
        ],
      },
    },
    {
      kind: "FragmentDefinition",
      name: { kind: "Name", value: "SeatMapFields" },
      typeCondition: { kind: "NamedType", name: { kind: "Name", value: "SeatMap" } },
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          { kind: "Field", name: { kind: "Name", value: "event" } },
          { kind: "Field", name: { kind: "Name", value: "tier" } },
          { kind: "Field", name: { kind: "Name", value: "section" } },
          { kind: "Field", name: { kind: "Name", value: "tables" } },
          { kind: "Field", name: { kind: "Name", value: "seatsPerTable" } },
          { kind: "Field", name: { kind: "Name", value: "free" } },
          {
            kind: "Field",
            name: { kind: "Name", value: "rows" },
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "name" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "seats" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "label" } },
                      { kind: "Field", name: { kind: "Name", value: "state" } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SeatMapLiveSubscription, SeatMapLiveSubscriptionVariables>;
