/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends " $fragmentName" | "__typename" ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from "@graphql-typed-document-node/core";
/** A postal address. */
export type AddressInput = {
  /** City. */
  city: string;
  /** ISO 3166-1 alpha-2 country code, e.g. "GB". */
  country: string;
  /** Street and number. */
  line1: string;
  /** Second line. */
  line2?: string | null | undefined;
  /** Postal code. */
  postalCode?: string | null | undefined;
  /** State, province or region. */
  region?: string | null | undefined;
};

/** How a box-office sale is paid. */
export type BoxOfficePayment =
  /**
   * Paid at the counter (cash, or a card reader outside Stripe): sold
   * at the tiers' prices without Stripe's fee, completed at once; a
   * refund of it is handed back at the counter.
   */
  | "CASH"
  /** Complimentary: free, no payment. */
  | "COMP";

/** Width of one bucket of a series (UTC). */
export type Bucket =
  /** One day (00:00 to 24:00 UTC). */
  | "DAY"
  /** One hour. */
  | "HOUR"
  /** One ISO week, Monday 00:00 UTC to the next Monday. */
  | "WEEK";

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

/** What a fee, tax or promotion is charged on (or taken off). */
export type ChargeTarget =
  /** Once per add-on (parking, merchandise, upgrades). */
  | "ADD_ON"
  /** Once per order. */
  | "ORDER"
  /** Once per admission ticket. */
  | "TICKET";

/**
 * A new event. It starts as a Draft: publish it with `publishEvent`.
 * Its workers scale as the defaults say until `updateEvent` changes
 * them (within the organization's limit); what deleting it does
 * (`spec.onDelete`) is an operations setting, made with kubectl or
 * GitOps.
 */
export type CreateEventInput = {
  /** ISO 4217 currency of every price (e.g. GBP); fixed once published. */
  currency: string;
  /** The days, in order (one for a single-day event). */
  days: Array<EventDayInput>;
  /** Longer description (plain text or Markdown). */
  description?: string | null | undefined;
  /** Fees of this event (added to the organization's). */
  fees?: Array<FeeInput> | null | undefined;
  /** How long a buyer's hold lasts, in seconds (60 to 3600; default 600). */
  holdTtlSeconds?: number | null | undefined;
  /**
   * The Event's name in the organization's namespace (lower-case
   * letters, digits and `-`, at most 54 characters); its slug is
   * `<organization>/<name>`. Fixed.
   */
  name: string;
  /** When sales stop; default: the end of the last day. */
  offSaleAt?: string | null | undefined;
  /** When tickets go on sale. */
  onSaleAt: string;
  /** Promo-code discounts. */
  promotions?: Array<PromotionInput> | null | undefined;
  /** Sales taxes. */
  taxes?: Array<TaxInput> | null | undefined;
  /** Title shown to buyers. */
  title: string;
  /** Name of the Venue (same organization) where it happens. */
  venue: string;
};

/** A new ticket tier of an event. */
export type CreateTicketTierInput = {
  /** Name shown to buyers, e.g. "General admission". */
  displayName: string;
  /** The event's name. Fixed. */
  event: string;
  /** Admission (default) or AddOn. */
  kind?: TierKind;
  /**
   * The TicketTier's name in the organization's namespace (lower-case
   * letters, digits and `-`); buyers hold tickets by it. Fixed.
   */
  name: string;
  /** Units per order; default 1 to 10. */
  perOrder?: PerOrderInput | null | undefined;
  /** Price of one unit (one ticket, table or add-on). */
  price: PriceInput;
  /** Codes that unlock a PROMO_CODE tier. */
  promoCodes?: Array<string> | null | undefined;
  /** Units for sale in total. */
  quantity: number;
  /** Its own sales window; default: the event's. */
  salesWindow?: SalesWindowInput | null | undefined;
  /** Venue section it admits to; default: anywhere. */
  section?: string | null | undefined;
  /**
   * Set to sell whole tables of this many seats (a unit is a table).
   * Fixed.
   */
  tableSeats?: number | null | undefined;
  /** Days of the event (from 1) it is valid on; default: every day. */
  validDays?: Array<number> | null | undefined;
  /** Who sees it (default PUBLIC). */
  visibility?: Visibility;
};

/** A new venue. */
export type CreateVenueInput = {
  /** Postal address. */
  address: AddressInput;
  /** Licensed capacity: the most people inside at once. */
  capacity: number;
  /** Name shown to buyers. */
  displayName: string;
  /** Location, for maps. */
  geo?: GeoInput | null | undefined;
  /**
   * The Venue's name in the organization's namespace (lower-case
   * letters, digits and `-`). Fixed.
   */
  name: string;
  /** Sellable areas. */
  sections?: Array<SectionInput> | null | undefined;
  /** IANA time zone, e.g. "Europe/London". */
  timezone: string;
};

/** One day of an event. */
export type EventDayInput = {
  /** When doors open and scanning starts; not after `startsAt`. */
  doorsAt: string;
  /** When the day ends. */
  endsAt: string;
  /** When the show starts; before `endsAt`. */
  startsAt: string;
};

/** Where an event is in its life, as the operator computed it. */
export type EventPhase =
  /** Cancelled by the promoter. */
  | "CANCELLED"
  /** Not published. */
  | "DRAFT"
  /** The last day is over. */
  | "ENDED"
  /** Tickets on sale. */
  | "ON_SALE"
  /** Sales are over and the event is still ahead or under way. */
  | "SALES_CLOSED"
  /** Published, sales not open yet. */
  | "SCHEDULED"
  /** Every ticket sold or held. */
  | "SOLD_OUT";

/** The promoter's intent for an event. */
export type EventState =
  /** Called off: no sales, tickets to be refunded. Final. */
  | "CANCELLED"
  /** Being prepared: not visible, not on sale. */
  | "DRAFT"
  /** Visible, and on sale between onSaleAt and offSaleAt. */
  | "PUBLISHED";

/** What a CSV export holds. */
export type ExportKind =
  /** One row per check-in or undo at the door, in the order recorded. */
  | "CHECK_INS"
  /**
   * One row per customer (e-mail address and currency): orders,
   * lifetime value and refunds in minor units with the currency.
   */
  | "CUSTOMERS"
  /**
   * One row per order (every state), oldest first: buyer, tickets,
   * add-ons, total and refunded in minor units with the currency.
   */
  | "ORDERS";

/** A fee added to prices: exactly one of `flatMinor` and `percentBps`. */
export type FeeInput = {
  /** What it is charged on. */
  appliesTo?: ChargeTarget;
  /** A flat amount in minor units of the event's currency. */
  flatMinor?: number | null | undefined;
  /** Name shown on the receipt, e.g. "Service fee". */
  name: string;
  /** A percentage in basis points (250 = 2.5 %). */
  percentBps?: number | null | undefined;
};

/** An unseated area. */
export type GeneralAdmissionInput = {
  /** How many people it holds. */
  capacity: number;
};

/** A point on the map. */
export type GeoInput = {
  /** Latitude in degrees, -90 to 90. */
  latitude: number;
  /** Longitude in degrees, -180 to 180. */
  longitude: number;
};

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

/** Units one order may take. */
export type PerOrderInput = {
  /** Most (1 to 1000, at least `min`). */
  max: number;
  /** Fewest (1 to 1000). */
  min: number;
};

/** A price in integer minor units. */
export type PriceInput = {
  /** Amount in minor units (cents for USD); 0 for free tickets. */
  amountMinor: number;
  /** ISO 4217 currency; default and required: the event's currency. */
  currency?: string | null | undefined;
};

/**
 * A discount unlocked by a promo code: exactly one of `flatMinor` and
 * `percentBps`.
 */
export type PromotionInput = {
  /** What it is taken off. */
  appliesTo?: ChargeTarget;
  /** The code buyers enter (letters, digits, `-` and `_`). */
  code: string;
  /**
   * Minor units off (per unit for tickets and add-ons, once for the
   * order).
   */
  flatMinor?: number | null | undefined;
  /** Name shown on the receipt, e.g. "Early bird". */
  name: string;
  /** Basis points off (1000 = 10 %). */
  percentBps?: number | null | undefined;
};

/** The replica range of one worker set. */
export type ReplicaRangeInput = {
  /** Most replicas the autoscaler may run. */
  maxReplicas: number;
  /** Fewest replicas while the event is live. */
  minReplicas: number;
  /**
   * Replicas from prewarmLeadSeconds before on-sale (or doors) until
   * the rush is over; null: minReplicas.
   */
  prewarmReplicas?: number | null | undefined;
};

/** A role in an organization, from most to least powerful. */
export type Role =
  /** Events, venues, tiers, orders and refunds. */
  | "ADMIN"
  /** Sells and comps tickets at the box office. */
  | "BOX_OFFICE"
  /** Everything in the organization, including members and payouts. */
  | "OWNER"
  /** Scans tickets at the door. */
  | "SCANNER"
  /** Platform staff: everything, in every organization. */
  | "SUPER_USER"
  /** Buys tickets like any buyer. */
  | "USER";

/** A tier's own sales window; an end left out is the event's. */
export type SalesWindowInput = {
  /** Sales end; default: the event's offSaleAt. */
  endsAt?: string | null | undefined;
  /** Sales start; default: the event's onSaleAt. */
  startsAt?: string | null | undefined;
};

/** What a scan found. */
export type ScanOutcome =
  /** Let them in: the admission is recorded. */
  | "ADMITTED"
  /**
   * Already admitted that day (`standing` says when, where and by
   * which device), or an add-on already redeemed.
   */
  | "ALREADY_ADMITTED"
  /**
   * Not a ticket of ours: unreadable, forged, altered, or of a tier the
   * event does not sell.
   */
  | "INVALID"
  /** A genuine ticket whose day has not come yet (`validDays`). */
  | "NOT_YET_VALID"
  /** An add-on (parking, merchandise) redeemed: it admits nobody. */
  | "REDEEMED"
  /** Refunded or cancelled: do not admit. */
  | "REVOKED"
  /** A genuine ticket of this event, not valid on the day being scanned. */
  | "WRONG_DAY"
  /** A genuine ticket for another event. */
  | "WRONG_EVENT"
  /** A genuine ticket whose tier this gate does not admit. */
  | "WRONG_GATE";

/** Seats sold one by one: `rows` × `seatsPerRow`, or explicit `labels`. */
export type SeatedInput = {
  /** Explicit seat labels (e.g. "A1"). */
  labels?: Array<string> | null | undefined;
  /** Number of rows. */
  rows?: number | null | undefined;
  /** Seats in each row. */
  seatsPerRow?: number | null | undefined;
};

/**
 * A sellable area of a venue: exactly one of `generalAdmission`,
 * `seated` and `tables`.
 */
export type SectionInput = {
  /** An unseated area. */
  generalAdmission?: GeneralAdmissionInput | null | undefined;
  /**
   * Unique name within the venue (lower-case letters, digits, `-`),
   * referenced by tiers' `section`.
   */
  name: string;
  /** Individually sold seats. */
  seated?: SeatedInput | null | undefined;
  /** Tables sold whole. */
  tables?: TablesInput | null | undefined;
};

/** Tables, each sold whole. */
export type TablesInput = {
  /** Number of tables. */
  count: number;
  /** Seats at each table. */
  seatsPerTable: number;
};

/** A sales tax on ticket prices. */
export type TaxInput = {
  /** What it is charged on. */
  appliesTo?: ChargeTarget;
  /** Name shown to buyers, e.g. "VAT". */
  name: string;
  /** Rate in basis points (2000 = 20 %). */
  rateBps: number;
};

/** What a tier sells. */
export type TierKind =
  /** Parking, merchandise, upgrades: bought with an admission. */
  | "ADD_ON"
  /** Admits people. */
  | "ADMISSION";

/**
 * Changes to an event: only the fields given are written. A field another
 * field manager (e.g. GitOps) owns is refused with CONFLICT unless the
 * mutation is forced. `null` clears an optional field.
 */
export type UpdateEventInput = {
  /** ISO 4217 currency (only while the event is a Draft). */
  currency?: string | null | undefined;
  /** The days, in order (replaces them all). */
  days?: Array<EventDayInput> | null | undefined;
  /** Longer description; `null` clears it. */
  description?: string | null | undefined;
  /** Fees (replaces them all). */
  fees?: Array<FeeInput> | null | undefined;
  /** How long a buyer's hold lasts, in seconds (60 to 3600). */
  holdTtlSeconds?: number | null | undefined;
  /** When sales stop; `null`: the end of the last day. */
  offSaleAt?: string | null | undefined;
  /** When tickets go on sale. */
  onSaleAt?: string | null | undefined;
  /** Promo-code discounts (replaces them all). */
  promotions?: Array<PromotionInput> | null | undefined;
  /** Sales taxes (replaces them all). */
  taxes?: Array<TaxInput> | null | undefined;
  /** Title shown to buyers. */
  title?: string | null | undefined;
  /** Name of the Venue (same organization). */
  venue?: string | null | undefined;
  /** How the event's workers scale: the parts given replace theirs. */
  workers?: WorkersInput | null | undefined;
};

/**
 * Changes to a tier: only the fields given are written; `null` clears an
 * optional one. Fields owned by another field manager are refused with
 * CONFLICT unless forced.
 */
export type UpdateTicketTierInput = {
  /** Name shown to buyers. */
  displayName?: string | null | undefined;
  /** Admission or AddOn. */
  kind?: TierKind | null | undefined;
  /** Units per order. */
  perOrder?: PerOrderInput | null | undefined;
  /** Price of one unit (`currency` left out: unchanged). */
  price?: PriceInput | null | undefined;
  /** Codes that unlock a PROMO_CODE tier (replaces them). */
  promoCodes?: Array<string> | null | undefined;
  /** Units for sale in total (not below what is sold and held). */
  quantity?: number | null | undefined;
  /** Its own sales window; `null`: the event's. */
  salesWindow?: SalesWindowInput | null | undefined;
  /** Venue section; `null`: anywhere. */
  section?: string | null | undefined;
  /** Valid days (replaces them); empty: every day. */
  validDays?: Array<number> | null | undefined;
  /**
   * Who sees it. HIDDEN takes a tier off the event page without
   * deleting it.
   */
  visibility?: Visibility | null | undefined;
};

/**
 * Changes to a venue: only the fields given are written; `null` clears an
 * optional one. Fields owned by another field manager are refused with
 * CONFLICT unless forced.
 */
export type UpdateVenueInput = {
  /** The whole postal address (replaces the one set here). */
  address?: AddressInput | null | undefined;
  /** Licensed capacity. */
  capacity?: number | null | undefined;
  /** Name shown to buyers. */
  displayName?: string | null | undefined;
  /** Location; `null` clears it. */
  geo?: GeoInput | null | undefined;
  /**
   * The sections managed here (replaces them; sections another field
   * manager set stay).
   */
  sections?: Array<SectionInput> | null | undefined;
  /** IANA time zone. */
  timezone?: string | null | undefined;
};

/** Who can see and buy a tier. */
export type Visibility =
  /** Not listed; sold by direct link or at the box office. */
  | "HIDDEN"
  /** Listed only after a buyer enters one of `promoCodes`. */
  | "PROMO_CODE"
  /** Listed on the event page. */
  | "PUBLIC";

/**
 * How an event's checkout and scan workers scale. Every replica count is
 * at most the organization's limit (`PromoterEvent.workers.replicaLimit`,
 * which platform staff set); the API server checks the rest (minReplicas
 * at most maxReplicas, prewarmReplicas between them).
 */
export type WorkersInput = {
  /** Checkout workers (holds, payments, tickets). */
  checkout?: ReplicaRangeInput | null | undefined;
  /**
   * How long before on-sale (checkout) and doors (scan) the workers are
   * raised to prewarmReplicas, in seconds (0 to 86400).
   */
  prewarmLeadSeconds?: number | null | undefined;
  /** Scan workers (door check-in). */
  scan?: ReplicaRangeInput | null | undefined;
};

export type BackstageAnalyticsQueryVariables = Exact<{
  ns: string;
  event?: string | null | undefined;
  from: string;
  to: string;
  bucket: Bucket;
}>;

export type BackstageAnalyticsQuery = {
  salesSeries: Array<{
    currency: string;
    buckets: Array<{
      start: string;
      orders: number;
      tickets: number;
      addOns: number;
      grossMinor: number;
      refundedMinor: number;
      compTickets: number;
      boxOfficeOrders: number;
      promoOrders: number;
    }>;
    total: {
      start: string;
      orders: number;
      tickets: number;
      addOns: number;
      grossMinor: number;
      refundedMinor: number;
      compTickets: number;
      boxOfficeOrders: number;
      promoOrders: number;
    };
  }>;
  checkInSeries: {
    buckets: Array<{ start: string; checkIns: number; admissions: number; undone: number; offline: number }>;
    total: { start: string; checkIns: number; admissions: number; undone: number; offline: number };
  };
  promoUsage: Array<{ code: string; orders: number; tickets: number; grossMinor: number; currency: string }>;
};

export type BackstageBuyerMapQueryVariables = Exact<{
  ns: string;
  event?: string | null | undefined;
}>;

export type BackstageBuyerMapQuery = {
  buyerMap: Array<{ latitude: number; longitude: number; orders: number; buyers: number }>;
};

export type BackstageCustomersQueryVariables = Exact<{
  ns: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;

export type BackstageCustomersQuery = {
  customers: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{
      email: string;
      name: string;
      currency: string;
      orders: number;
      lifetimeValueMinor: number;
      refundedMinor: number;
      firstOrderAtMs: number;
      lastOrderAtMs: number;
    }>;
  };
};

export type BackstageScanDaysQueryVariables = Exact<{ [key: string]: never }>;

export type BackstageScanDaysQuery = {
  scanDays: Array<{
    event: string;
    title: string;
    venue: string;
    day: number;
    doorsAt: string;
    startsAt: string;
    endsAt: string;
    checkedIn: number;
  }>;
};

export type BackstageDoorSetupQueryVariables = Exact<{
  slug: string;
}>;

export type BackstageDoorSetupQuery = {
  scannerKit: {
    eventUid: string;
    gates: Array<{ name: string; displayName: string; tiers: Array<string>; reentry: boolean }>;
    tiers: Array<{ name: string; displayName: string; addOn: boolean }>;
  };
};

export type BackstageDoorTotalsQueryVariables = Exact<{
  ns: string;
  name: string;
}>;

export type BackstageDoorTotalsQuery = {
  organization: {
    namespace: string;
    event: {
      id: string;
      name: string;
      status: { sold: number | null };
      tiers: { nodes: Array<{ name: string; displayName: string; kind: TierKind; status: { sold: number | null } }> };
    } | null;
  };
};

export type BackstageScanMutationVariables = Exact<{
  event: string;
  code: string;
  gate: string;
  device: string;
  scanId: string | number;
}>;

export type BackstageScanMutation = {
  scan: {
    outcome: ScanOutcome;
    message: string;
    ticketId: string | null;
    tier: string | null;
    tierDisplayName: string | null;
    holderName: string | null;
    seat: string | null;
    day: number;
    admissions: number;
    validDays: Array<number>;
    retry: boolean;
    standing: { at: string; gate: string; device: string; staff: string; offline: boolean } | null;
  };
};

export type BackstageCheckInCountsSubscriptionVariables = Exact<{
  event: string;
}>;

export type BackstageCheckInCountsSubscription = {
  checkInCounts: {
    days: Array<{
      day: number;
      checkedIn: number;
      admissions: number;
      redeemed: number;
      byGate: Array<{ name: string; checkedIn: number; admissions: number }>;
      byTier: Array<{ name: string; checkedIn: number; admissions: number }>;
    }>;
  };
};

export type BackstageEventsQueryVariables = Exact<{
  ns: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;

export type BackstageEventsQuery = {
  organization: {
    namespace: string;
    events: {
      pageInfo: {
        hasNextPage: boolean;
        hasPreviousPage: boolean;
        startCursor: string | null;
        endCursor: string | null;
      };
      nodes: Array<{
        id: string;
        name: string;
        title: string;
        state: EventState;
        venueName: string;
        days: Array<{ startsAt: string }>;
        status: { phase: EventPhase | null; capacity: number | null; sold: number | null };
      }>;
    };
  };
};

export type BackstageEventVenuesQueryVariables = Exact<{
  ns: string;
}>;

export type BackstageEventVenuesQuery = {
  organization: {
    namespace: string;
    venues: { nodes: Array<{ name: string; displayName: string; timezone: string }> };
  };
};

export type BackstageEventQueryVariables = Exact<{
  ns: string;
  name: string;
}>;

export type BackstageEventQuery = {
  organization: {
    namespace: string;
    event: {
      id: string;
      name: string;
      slug: string;
      title: string;
      description: string | null;
      venueName: string;
      currency: string;
      onSaleAt: string;
      offSaleAt: string | null;
      state: EventState;
      holdTtlSeconds: number;
      generation: number;
      venue: { name: string; displayName: string; timezone: string; sections: Array<{ name: string }> } | null;
      days: Array<{ doorsAt: string; startsAt: string; endsAt: string }>;
      taxes: Array<{ name: string; rateBps: number; appliesTo: ChargeTarget }>;
      fees: Array<{ name: string; appliesTo: ChargeTarget; flatMinor: number | null; percentBps: number | null }>;
      promotions: Array<{
        code: string;
        name: string;
        appliesTo: ChargeTarget;
        flatMinor: number | null;
        percentBps: number | null;
      }>;
      workers: {
        prewarmLeadSeconds: number;
        replicaLimit: number;
        checkout: { minReplicas: number; maxReplicas: number; prewarmReplicas: number | null };
        scan: { minReplicas: number; maxReplicas: number; prewarmReplicas: number | null };
      };
      fieldOwners: Array<{ field: string; manager: string; operation: string; byGateway: boolean }>;
      tiers: {
        nodes: Array<{
          name: string;
          displayName: string;
          kind: TierKind;
          priceMinor: number;
          currency: string;
          quantity: number;
          section: string | null;
          tableSeats: number | null;
          visibility: Visibility;
          perOrder: { min: number; max: number };
          status: { sold: number | null; held: number | null; available: number | null };
          fieldOwners: Array<{ field: string; manager: string; operation: string; byGateway: boolean }>;
        }>;
      };
    } | null;
  };
};

export type BackstageEventStatusQueryVariables = Exact<{
  ns: string;
  name: string;
}>;

export type BackstageEventStatusQuery = {
  organization: {
    namespace: string;
    event: {
      id: string;
      state: EventState;
      generation: number;
      status: {
        phase: EventPhase | null;
        upToDate: boolean;
        capacity: number | null;
        sold: number | null;
        held: number | null;
        available: number | null;
        ready: { status: string; reason: string; message: string } | null;
        checkoutWorkers: { ready: number; desired: number; minReplicas: number; maxReplicas: number } | null;
        scanWorkers: { ready: number; desired: number; minReplicas: number; maxReplicas: number } | null;
      };
    } | null;
  };
};

export type BackstageWorkerSetFragment = { ready: number; desired: number; minReplicas: number; maxReplicas: number };

export type BackstageCreateEventMutationVariables = Exact<{
  ns: string;
  input: CreateEventInput;
}>;

export type BackstageCreateEventMutation = { createEvent: { id: string; name: string } };

export type BackstageUpdateEventMutationVariables = Exact<{
  ns: string;
  name: string;
  input: UpdateEventInput;
  force?: boolean | null | undefined;
}>;

export type BackstageUpdateEventMutation = { updateEvent: { id: string; name: string; generation: number } };

export type BackstagePublishEventMutationVariables = Exact<{
  ns: string;
  name: string;
  force?: boolean | null | undefined;
}>;

export type BackstagePublishEventMutation = { publishEvent: { id: string; name: string; state: EventState } };

export type BackstageCancelEventMutationVariables = Exact<{
  ns: string;
  name: string;
  force?: boolean | null | undefined;
}>;

export type BackstageCancelEventMutation = { cancelEvent: { id: string; name: string; state: EventState } };

export type BackstageCreateTierMutationVariables = Exact<{
  ns: string;
  input: CreateTicketTierInput;
}>;

export type BackstageCreateTierMutation = { createTicketTier: { name: string; event: string } };

export type BackstageUpdateTierMutationVariables = Exact<{
  ns: string;
  name: string;
  input: UpdateTicketTierInput;
  force?: boolean | null | undefined;
}>;

export type BackstageUpdateTierMutation = { updateTicketTier: { name: string; event: string } };

export type BackstageDeleteTierMutationVariables = Exact<{
  ns: string;
  name: string;
  force?: boolean | null | undefined;
}>;

export type BackstageDeleteTierMutation = { deleteTicketTier: boolean };

export type BackstageOrdersQueryVariables = Exact<{
  organization?: string | null | undefined;
  event?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  search?: string | null | undefined;
  states?: Array<OrderState> | OrderState | null | undefined;
}>;

export type BackstageOrdersQuery = {
  orders: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{
      id: string;
      number: string;
      event: string | null;
      state: OrderState;
      totalMinor: number;
      refundedMinor: number;
      currency: string;
      placedAtMs: number;
      buyer: { name: string; email: string };
    }>;
  };
};

export type BackstageOrderQueryVariables = Exact<{
  event: string;
  id: string | number;
}>;

export type BackstageOrderQuery = {
  order: {
    id: string;
    number: string;
    event: string | null;
    state: OrderState;
    totalMinor: number;
    refundedMinor: number;
    currency: string;
    placedAtMs: number;
    paymentIntentId: string | null;
    paymentError: string | null;
    buyer: { name: string; email: string; phone: string | null };
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
    refunds: Array<{
      id: string;
      ticketIds: Array<string>;
      amountMinor: number;
      currency: string;
      feesReturned: boolean;
      state: string;
      reason: string;
    }>;
    customer: {
      email: string;
      currency: string;
      orders: number;
      lifetimeValueMinor: number;
      refundedMinor: number;
    } | null;
  };
};

export type BackstageResendTicketsMutationVariables = Exact<{
  orderId: string | number;
}>;

export type BackstageResendTicketsMutation = { resendTickets: { id: string; state: OrderState } };

export type BackstageRefundTicketsMutationVariables = Exact<{
  event: string;
  orderId: string | number;
  ticketIds: Array<string | number> | string | number;
  reason?: string | null | undefined;
  refundId?: string | number | null | undefined;
}>;

export type BackstageRefundTicketsMutation = {
  refundTickets: { id: string; amountMinor: number; currency: string; state: string; feesReturned: boolean };
};

export type BackstageRefundOrderMutationVariables = Exact<{
  event: string;
  orderId: string | number;
  reason?: string | null | undefined;
  refundId?: string | number | null | undefined;
}>;

export type BackstageRefundOrderMutation = {
  refundOrder: { id: string; amountMinor: number; currency: string; state: string; feesReturned: boolean };
};

export type BackstageExportLinkQueryVariables = Exact<{
  organization: string;
  event?: string | null | undefined;
  kind: ExportKind;
}>;

export type BackstageExportLinkQuery = { exportLink: { url: string; expiresAt: string; kind: ExportKind } };

export type BackstageBoxOfficeTiersQueryVariables = Exact<{
  ns: string;
  name: string;
}>;

export type BackstageBoxOfficeTiersQuery = {
  organization: {
    namespace: string;
    event: {
      id: string;
      name: string;
      slug: string;
      title: string;
      state: EventState;
      currency: string;
      tiers: {
        nodes: Array<{
          name: string;
          displayName: string;
          kind: TierKind;
          priceMinor: number;
          currency: string;
          visibility: Visibility;
          tableSeats: number | null;
          perOrder: { min: number; max: number };
          status: { available: number | null };
        }>;
      };
    } | null;
  };
};

export type BackstageHoldMutationVariables = Exact<{
  event: string;
  tier: string;
  quantity?: number | null | undefined;
  seats?: Array<string> | string | null | undefined;
  holdId?: string | number | null | undefined;
}>;

export type BackstageHoldMutation = {
  hold: { id: string; tier: string; quantity: number; seats: Array<string>; expiresAtMs: number } | null;
};

export type BackstageCreateBoxOfficeOrderMutationVariables = Exact<{
  event: string;
  holds: Array<OrderHoldInput> | OrderHoldInput;
  buyer: BuyerInput;
  payment: BoxOfficePayment;
  orderId?: string | number | null | undefined;
}>;

export type BackstageCreateBoxOfficeOrderMutation = {
  createBoxOfficeOrder: {
    id: string;
    number: string;
    event: string | null;
    state: OrderState;
    totalMinor: number;
    currency: string;
    buyer: { name: string; email: string };
    tickets: Array<{ id: string; label: string; seat: string | null }>;
  };
};

export type BackstageReleaseHoldMutationVariables = Exact<{
  event: string;
  holdId: string | number;
}>;

export type BackstageReleaseHoldMutation = { release: boolean };

export type BackstagePublicUrlQueryVariables = Exact<{ [key: string]: never }>;

export type BackstagePublicUrlQuery = { portalConfig: { publicUrl: string } };

export type BackstageRefundStatsQueryVariables = Exact<{
  event: string;
}>;

export type BackstageRefundStatsQuery = {
  refundStats: {
    refunds: number;
    tickets: number;
    amountMinor: number;
    feesReturnedMinor: number;
    currency: string;
    ordersFullyRefunded: number;
  };
};

export type BackstageRefundSeriesQueryVariables = Exact<{
  ns: string;
  event?: string | null | undefined;
  from: string;
  to: string;
  bucket: Bucket;
}>;

export type BackstageRefundSeriesQuery = {
  salesSeries: Array<{
    currency: string;
    buckets: Array<{ start: string; orders: number; grossMinor: number; refundedMinor: number }>;
    total: { start: string; orders: number; grossMinor: number; refundedMinor: number };
  }>;
};

export type BackstageRefundEventMutationVariables = Exact<{
  event: string;
  dryRun: boolean;
}>;

export type BackstageRefundEventMutation = {
  refundEvent: {
    dryRun: boolean;
    orders: number;
    tickets: number;
    amountMinor: number;
    feesReturnedMinor: number;
    currency: string;
    failedOrders: Array<string>;
  };
};

export type BackstageMembersQueryVariables = Exact<{
  ns: string;
  after?: string | null | undefined;
}>;

export type BackstageMembersQuery = {
  organization: {
    namespace: string;
    members: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Array<{
        email: string;
        role: Role;
        fieldOwners: Array<{ field: string; manager: string; byGateway: boolean }>;
      }>;
    };
  };
};

export type BackstageSetMemberMutationVariables = Exact<{
  ns: string;
  email: string;
  role: Role;
  force?: boolean | null | undefined;
}>;

export type BackstageSetMemberMutation = { setMember: { email: string; role: Role } };

export type BackstageRemoveMemberMutationVariables = Exact<{
  ns: string;
  email: string;
}>;

export type BackstageRemoveMemberMutation = { removeMember: boolean };

export type BackstageVenuesQueryVariables = Exact<{
  ns: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;

export type BackstageVenuesQuery = {
  organization: {
    namespace: string;
    venues: {
      pageInfo: {
        hasNextPage: boolean;
        hasPreviousPage: boolean;
        startCursor: string | null;
        endCursor: string | null;
      };
      nodes: Array<{
        name: string;
        displayName: string;
        timezone: string;
        capacity: number;
        address: { city: string; country: string };
        sections: Array<{ name: string }>;
      }>;
    };
  };
};

export type BackstageVenueQueryVariables = Exact<{
  ns: string;
  name: string;
}>;

export type BackstageVenueQuery = {
  organization: {
    namespace: string;
    venue: {
      name: string;
      displayName: string;
      timezone: string;
      capacity: number;
      address: {
        line1: string;
        line2: string | null;
        city: string;
        region: string | null;
        postalCode: string | null;
        country: string;
      };
      sections: Array<{
        name: string;
        generalAdmissionCapacity: number | null;
        rows: number | null;
        seatsPerRow: number | null;
        seatLabels: Array<string>;
        tables: number | null;
        seatsPerTable: number | null;
      }>;
      status: { sectionCapacity: number | null; ready: { status: string; reason: string; message: string } | null };
      fieldOwners: Array<{ field: string; manager: string; operation: string; byGateway: boolean }>;
    } | null;
  };
};

export type BackstageCreateVenueMutationVariables = Exact<{
  ns: string;
  input: CreateVenueInput;
}>;

export type BackstageCreateVenueMutation = { createVenue: { name: string } };

export type BackstageUpdateVenueMutationVariables = Exact<{
  ns: string;
  name: string;
  input: UpdateVenueInput;
  force?: boolean | null | undefined;
}>;

export type BackstageUpdateVenueMutation = { updateVenue: { name: string } };

export type BackstageEventChoicesQueryVariables = Exact<{
  ns: string;
}>;

export type BackstageEventChoicesQuery = {
  organization: {
    namespace: string;
    events: {
      nodes: Array<{ id: string; name: string; slug: string; title: string; state: EventState; currency: string }>;
    };
  };
};

export type BackstageMeQueryVariables = Exact<{ [key: string]: never }>;

export type BackstageMeQuery = {
  me: {
    login: string;
    email: string | null;
    superUser: boolean;
    organizations: Array<{ namespace: string; name: string; displayName: string; role: Role }>;
  };
};

export type BackstageLogoutMutationVariables = Exact<{ [key: string]: never }>;

export type BackstageLogoutMutation = { logout: boolean };

export const BackstageWorkerSetFragmentDoc = {
  kind: "Document",
  definitions: [
    {
      kind: "FragmentDefinition",
      name: { kind: "Name", value: "BackstageWorkerSet" },
      typeCondition: { kind: "NamedType", name: { kind: "Name", value: "WorkerSetView" } },
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          { kind: "Field", name: { kind: "Name", value: "ready" } },
          { kind: "Field", name: { kind: "Name", value: "desired" } },
          { kind: "Field", name: { kind: "Name", value: "minReplicas" } },
          { kind: "Field", name: { kind: "Name", value: "maxReplicas" } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageWorkerSetFragment, unknown>;
export const BackstageAnalyticsDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageAnalytics" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "event" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "String" } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "from" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "to" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "bucket" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "Bucket" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "salesSeries" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "from" },
                value: { kind: "Variable", name: { kind: "Name", value: "from" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "to" },
                value: { kind: "Variable", name: { kind: "Name", value: "to" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "bucket" },
                value: { kind: "Variable", name: { kind: "Name", value: "bucket" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "currency" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "buckets" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "start" } },
                      { kind: "Field", name: { kind: "Name", value: "orders" } },
                      { kind: "Field", name: { kind: "Name", value: "tickets" } },
                      { kind: "Field", name: { kind: "Name", value: "addOns" } },
                      { kind: "Field", name: { kind: "Name", value: "grossMinor" } },
                      { kind: "Field", name: { kind: "Name", value: "refundedMinor" } },
                      { kind: "Field", name: { kind: "Name", value: "compTickets" } },
                      { kind: "Field", name: { kind: "Name", value: "boxOfficeOrders" } },
                      { kind: "Field", name: { kind: "Name", value: "promoOrders" } },
                    ],
                  },
                },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "total" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "start" } },
                      { kind: "Field", name: { kind: "Name", value: "orders" } },
                      { kind: "Field", name: { kind: "Name", value: "tickets" } },
                      { kind: "Field", name: { kind: "Name", value: "addOns" } },
                      { kind: "Field", name: { kind: "Name", value: "grossMinor" } },
                      { kind: "Field", name: { kind: "Name", value: "refundedMinor" } },
                      { kind: "Field", name: { kind: "Name", value: "compTickets" } },
                      { kind: "Field", name: { kind: "Name", value: "boxOfficeOrders" } },
                      { kind: "Field", name: { kind: "Name", value: "promoOrders" } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: "Field",
            name: { kind: "Name", value: "checkInSeries" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "from" },
                value: { kind: "Variable", name: { kind: "Name", value: "from" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "to" },
                value: { kind: "Variable", name: { kind: "Name", value: "to" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "bucket" },
                value: { kind: "Variable", name: { kind: "Name", value: "bucket" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                {
                  kind: "Field",
                  name: { kind: "Name", value: "buckets" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "start" } },
                      { kind: "Field", name: { kind: "Name", value: "checkIns" } },
                      { kind: "Field", name: { kind: "Name", value: "admissions" } },
                      { kind: "Field", name: { kind: "Name", value: "undone" } },
                      { kind: "Field", name: { kind: "Name", value: "offline" } },
                    ],
                  },
                },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "total" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "start" } },
                      { kind: "Field", name: { kind: "Name", value: "checkIns" } },
                      { kind: "Field", name: { kind: "Name", value: "admissions" } },
                      { kind: "Field", name: { kind: "Name", value: "undone" } },
                      { kind: "Field", name: { kind: "Name", value: "offline" } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: "Field",
            name: { kind: "Name", value: "promoUsage" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "code" } },
                { kind: "Field", name: { kind: "Name", value: "orders" } },
                { kind: "Field", name: { kind: "Name", value: "tickets" } },
                { kind: "Field", name: { kind: "Name", value: "grossMinor" } },
                { kind: "Field", name: { kind: "Name", value: "currency" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageAnalyticsQuery, BackstageAnalyticsQueryVariables>;
export const BackstageBuyerMapDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageBuyerMap" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "event" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "String" } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "buyerMap" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "latitude" } },
                { kind: "Field", name: { kind: "Name", value: "longitude" } },
                { kind: "Field", name: { kind: "Name", value: "orders" } },
                { kind: "Field", name: { kind: "Name", value: "buyers" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageBuyerMapQuery, BackstageBuyerMapQueryVariables>;
export const BackstageCustomersDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageCustomers" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
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
            name: { kind: "Name", value: "customers" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
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
                      { kind: "Field", name: { kind: "Name", value: "email" } },
                      { kind: "Field", name: { kind: "Name", value: "name" } },
                      { kind: "Field", name: { kind: "Name", value: "currency" } },
                      { kind: "Field", name: { kind: "Name", value: "orders" } },
                      { kind: "Field", name: { kind: "Name", value: "lifetimeValueMinor" } },
                      { kind: "Field", name: { kind: "Name", value: "refundedMinor" } },
                      { kind: "Field", name: { kind: "Name", value: "firstOrderAtMs" } },
                      { kind: "Field", name: { kind: "Name", value: "lastOrderAtMs" } },
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
} as unknown as DocumentNode<BackstageCustomersQuery, BackstageCustomersQueryVariables>;
export const BackstageScanDaysDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageScanDays" },
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "scanDays" },
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "event" } },
                { kind: "Field", name: { kind: "Name", value: "title" } },
                { kind: "Field", name: { kind: "Name", value: "venue" } },
                { kind: "Field", name: { kind: "Name", value: "day" } },
                { kind: "Field", name: { kind: "Name", value: "doorsAt" } },
                { kind: "Field", name: { kind: "Name", value: "startsAt" } },
                { kind: "Field", name: { kind: "Name", value: "endsAt" } },
                { kind: "Field", name: { kind: "Name", value: "checkedIn" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageScanDaysQuery, BackstageScanDaysQueryVariables>;
export const BackstageDoorSetupDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageDoorSetup" },
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
            name: { kind: "Name", value: "scannerKit" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "slug" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "eventUid" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "gates" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "name" } },
                      { kind: "Field", name: { kind: "Name", value: "displayName" } },
                      { kind: "Field", name: { kind: "Name", value: "tiers" } },
                      { kind: "Field", name: { kind: "Name", value: "reentry" } },
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
                      { kind: "Field", name: { kind: "Name", value: "addOn" } },
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
} as unknown as DocumentNode<BackstageDoorSetupQuery, BackstageDoorSetupQueryVariables>;
export const BackstageDoorTotalsDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageDoorTotals" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "name" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "organization" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "namespace" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "namespace" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "event" },
                  arguments: [
                    {
                      kind: "Argument",
                      name: { kind: "Name", value: "name" },
                      value: { kind: "Variable", name: { kind: "Name", value: "name" } },
                    },
                  ],
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "id" } },
                      { kind: "Field", name: { kind: "Name", value: "name" } },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "status" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [{ kind: "Field", name: { kind: "Name", value: "sold" } }],
                        },
                      },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "tiers" },
                        arguments: [
                          {
                            kind: "Argument",
                            name: { kind: "Name", value: "first" },
                            value: { kind: "IntValue", value: "100" },
                          },
                        ],
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            {
                              kind: "Field",
                              name: { kind: "Name", value: "nodes" },
                              selectionSet: {
                                kind: "SelectionSet",
                                selections: [
                                  { kind: "Field", name: { kind: "Name", value: "name" } },
                                  { kind: "Field", name: { kind: "Name", value: "displayName" } },
                                  { kind: "Field", name: { kind: "Name", value: "kind" } },
                                  {
                                    kind: "Field",
                                    name: { kind: "Name", value: "status" },
                                    selectionSet: {
                                      kind: "SelectionSet",
                                      selections: [{ kind: "Field", name: { kind: "Name", value: "sold" } }],
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
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageDoorTotalsQuery, BackstageDoorTotalsQueryVariables>;
export const BackstageScanDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageScan" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "event" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "code" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "gate" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "device" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "scanId" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "ID" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "scan" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "code" },
                value: { kind: "Variable", name: { kind: "Name", value: "code" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "gate" },
                value: { kind: "Variable", name: { kind: "Name", value: "gate" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "device" },
                value: { kind: "Variable", name: { kind: "Name", value: "device" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "scanId" },
                value: { kind: "Variable", name: { kind: "Name", value: "scanId" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "outcome" } },
                { kind: "Field", name: { kind: "Name", value: "message" } },
                { kind: "Field", name: { kind: "Name", value: "ticketId" } },
                { kind: "Field", name: { kind: "Name", value: "tier" } },
                { kind: "Field", name: { kind: "Name", value: "tierDisplayName" } },
                { kind: "Field", name: { kind: "Name", value: "holderName" } },
                { kind: "Field", name: { kind: "Name", value: "seat" } },
                { kind: "Field", name: { kind: "Name", value: "day" } },
                { kind: "Field", name: { kind: "Name", value: "admissions" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "standing" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "at" } },
                      { kind: "Field", name: { kind: "Name", value: "gate" } },
                      { kind: "Field", name: { kind: "Name", value: "device" } },
                      { kind: "Field", name: { kind: "Name", value: "staff" } },
                      { kind: "Field", name: { kind: "Name", value: "offline" } },
                    ],
                  },
                },
                { kind: "Field", name: { kind: "Name", value: "validDays" } },
                { kind: "Field", name: { kind: "Name", value: "retry" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageScanMutation, BackstageScanMutationVariables>;
export const BackstageCheckInCountsDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "subscription",
      name: { kind: "Name", value: "BackstageCheckInCounts" },
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
            name: { kind: "Name", value: "checkInCounts" },
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
                {
                  kind: "Field",
                  name: { kind: "Name", value: "days" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "day" } },
                      { kind: "Field", name: { kind: "Name", value: "checkedIn" } },
                      { kind: "Field", name: { kind: "Name", value: "admissions" } },
                      { kind: "Field", name: { kind: "Name", value: "redeemed" } },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "byGate" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            { kind: "Field", name: { kind: "Name", value: "name" } },
                            { kind: "Field", name: { kind: "Name", value: "checkedIn" } },
                            { kind: "Field", name: { kind: "Name", value: "admissions" } },
                          ],
                        },
                      },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "byTier" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            { kind: "Field", name: { kind: "Name", value: "name" } },
                            { kind: "Field", name: { kind: "Name", value: "checkedIn" } },
                            { kind: "Field", name: { kind: "Name", value: "admissions" } },
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
} as unknown as DocumentNode<BackstageCheckInCountsSubscription, BackstageCheckInCountsSubscriptionVariables>;
export const BackstageEventsDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageEvents" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
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
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "last" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "Int" } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "before" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "String" } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "organization" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "namespace" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "namespace" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "events" },
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
                    {
                      kind: "Argument",
                      name: { kind: "Name", value: "last" },
                      value: { kind: "Variable", name: { kind: "Name", value: "last" } },
                    },
                    {
                      kind: "Argument",
                      name: { kind: "Name", value: "before" },
                      value: { kind: "Variable", name: { kind: "Name", value: "before" } },
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
                            { kind: "Field", name: { kind: "Name", value: "hasPreviousPage" } },
                            { kind: "Field", name: { kind: "Name", value: "startCursor" } },
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
                            { kind: "Field", name: { kind: "Name", value: "name" } },
                            { kind: "Field", name: { kind: "Name", value: "title" } },
                            { kind: "Field", name: { kind: "Name", value: "state" } },
                            { kind: "Field", name: { kind: "Name", value: "venueName" } },
                            {
                              kind: "Field",
                              name: { kind: "Name", value: "days" },
                              selectionSet: {
                                kind: "SelectionSet",
                                selections: [{ kind: "Field", name: { kind: "Name", value: "startsAt" } }],
                              },
                            },
                            {
                              kind: "Field",
                              name: { kind: "Name", value: "status" },
                              selectionSet: {
                                kind: "SelectionSet",
                                selections: [
                                  { kind: "Field", name: { kind: "Name", value: "phase" } },
                                  { kind: "Field", name: { kind: "Name", value: "capacity" } },
                                  { kind: "Field", name: { kind: "Name", value: "sold" } },
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
      },
    },
  ],
} as unknown as DocumentNode<BackstageEventsQuery, BackstageEventsQueryVariables>;
export const BackstageEventVenuesDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageEventVenues" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "organization" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "namespace" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "namespace" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "venues" },
                  arguments: [
                    {
                      kind: "Argument",
                      name: { kind: "Name", value: "first" },
                      value: { kind: "IntValue", value: "100" },
                    },
                  ],
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "nodes" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            { kind: "Field", name: { kind: "Name", value: "name" } },
                            { kind: "Field", name: { kind: "Name", value: "displayName" } },
                            { kind: "Field", name: { kind: "Name", value: "timezone" } },
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
} as unknown as DocumentNode<BackstageEventVenuesQuery, BackstageEventVenuesQueryVariables>;
export const BackstageEventDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageEvent" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "name" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "organization" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "namespace" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "namespace" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "event" },
                  arguments: [
                    {
                      kind: "Argument",
                      name: { kind: "Name", value: "name" },
                      value: { kind: "Variable", name: { kind: "Name", value: "name" } },
                    },
                  ],
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "id" } },
                      { kind: "Field", name: { kind: "Name", value: "name" } },
                      { kind: "Field", name: { kind: "Name", value: "slug" } },
                      { kind: "Field", name: { kind: "Name", value: "title" } },
                      { kind: "Field", name: { kind: "Name", value: "description" } },
                      { kind: "Field", name: { kind: "Name", value: "venueName" } },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "venue" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            { kind: "Field", name: { kind: "Name", value: "name" } },
                            { kind: "Field", name: { kind: "Name", value: "displayName" } },
                            { kind: "Field", name: { kind: "Name", value: "timezone" } },
                            {
                              kind: "Field",
                              name: { kind: "Name", value: "sections" },
                              selectionSet: {
                                kind: "SelectionSet",
                                selections: [{ kind: "Field", name: { kind: "Name", value: "name" } }],
                              },
                            },
                          ],
                        },
                      },
                      { kind: "Field", name: { kind: "Name", value: "currency" } },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "days" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            { kind: "Field", name: { kind: "Name", value: "doorsAt" } },
                            { kind: "Field", name: { kind: "Name", value: "startsAt" } },
                            { kind: "Field", name: { kind: "Name", value: "endsAt" } },
                          ],
                        },
                      },
                      { kind: "Field", name: { kind: "Name", value: "onSaleAt" } },
                      { kind: "Field", name: { kind: "Name", value: "offSaleAt" } },
                      { kind: "Field", name: { kind: "Name", value: "state" } },
                      { kind: "Field", name: { kind: "Name", value: "holdTtlSeconds" } },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "taxes" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            { kind: "Field", name: { kind: "Name", value: "name" } },
                            { kind: "Field", name: { kind: "Name", value: "rateBps" } },
                            { kind: "Field", name: { kind: "Name", value: "appliesTo" } },
                          ],
                        },
                      },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "fees" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            { kind: "Field", name: { kind: "Name", value: "name" } },
                            { kind: "Field", name: { kind: "Name", value: "appliesTo" } },
                            { kind: "Field", name: { kind: "Name", value: "flatMinor" } },
                            { kind: "Field", name: { kind: "Name", value: "percentBps" } },
                          ],
                        },
                      },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "promotions" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            { kind: "Field", name: { kind: "Name", value: "code" } },
                            { kind: "Field", name: { kind: "Name", value: "name" } },
                            { kind: "Field", name: { kind: "Name", value: "appliesTo" } },
                            { kind: "Field", name: { kind: "Name", value: "flatMinor" } },
                            { kind: "Field", name: { kind: "Name", value: "percentBps" } },
                          ],
                        },
                      },
                      { kind: "Field", name: { kind: "Name", value: "generation" } },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "workers" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            {
                              kind: "Field",
                              name: { kind: "Name", value: "checkout" },
                              selectionSet: {
                                kind: "SelectionSet",
                                selections: [
                                  { kind: "Field", name: { kind: "Name", value: "minReplicas" } },
                                  { kind: "Field", name: { kind: "Name", value: "maxReplicas" } },
                                  { kind: "Field", name: { kind: "Name", value: "prewarmReplicas" } },
                                ],
                              },
                            },
                            {
                              kind: "Field",
                              name: { kind: "Name", value: "scan" },
                              selectionSet: {
                                kind: "SelectionSet",
                                selections: [
                                  { kind: "Field", name: { kind: "Name", value: "minReplicas" } },
                                  { kind: "Field", name: { kind: "Name", value: "maxReplicas" } },
                                  { kind: "Field", name: { kind: "Name", value: "prewarmReplicas" } },
                                ],
                              },
                            },
                            { kind: "Field", name: { kind: "Name", value: "prewarmLeadSeconds" } },
                            { kind: "Field", name: { kind: "Name", value: "replicaLimit" } },
                          ],
                        },
                      },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "fieldOwners" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            { kind: "Field", name: { kind: "Name", value: "field" } },
                            { kind: "Field", name: { kind: "Name", value: "manager" } },
                            { kind: "Field", name: { kind: "Name", value: "operation" } },
                            { kind: "Field", name: { kind: "Name", value: "byGateway" } },
                          ],
                        },
                      },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "tiers" },
                        arguments: [
                          {
                            kind: "Argument",
                            name: { kind: "Name", value: "first" },
                            value: { kind: "IntValue", value: "100" },
                          },
                        ],
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            {
                              kind: "Field",
                              name: { kind: "Name", value: "nodes" },
                              selectionSet: {
                                kind: "SelectionSet",
                                selections: [
                                  { kind: "Field", name: { kind: "Name", value: "name" } },
                                  { kind: "Field", name: { kind: "Name", value: "displayName" } },
                                  { kind: "Field", name: { kind: "Name", value: "kind" } },
                                  { kind: "Field", name: { kind: "Name", value: "priceMinor" } },
                                  { kind: "Field", name: { kind: "Name", value: "currency" } },
                                  { kind: "Field", name: { kind: "Name", value: "quantity" } },
                                  {
                                    kind: "Field",
                                    name: { kind: "Name", value: "perOrder" },
                                    selectionSet: {
                                      kind: "SelectionSet",
                                      selections: [
                                        { kind: "Field", name: { kind: "Name", value: "min" } },
                                        { kind: "Field", name: { kind: "Name", value: "max" } },
                                      ],
                                    },
                                  },
                                  { kind: "Field", name: { kind: "Name", value: "section" } },
                                  { kind: "Field", name: { kind: "Name", value: "tableSeats" } },
                                  { kind: "Field", name: { kind: "Name", value: "visibility" } },
                                  {
                                    kind: "Field",
                                    name: { kind: "Name", value: "status" },
                                    selectionSet: {
                                      kind: "SelectionSet",
                                      selections: [
                                        { kind: "Field", name: { kind: "Name", value: "sold" } },
                                        { kind: "Field", name: { kind: "Name", value: "held" } },
                                        { kind: "Field", name: { kind: "Name", value: "available" } },
                                      ],
                                    },
                                  },
                                  {
                                    kind: "Field",
                                    name: { kind: "Name", value: "fieldOwners" },
                                    selectionSet: {
                                      kind: "SelectionSet",
                                      selections: [
                                        { kind: "Field", name: { kind: "Name", value: "field" } },
                                        { kind: "Field", name: { kind: "Name", value: "manager" } },
                                        { kind: "Field", name: { kind: "Name", value: "operation" } },
                                        { kind: "Field", name: { kind: "Name", value: "byGateway" } },
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
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageEventQuery, BackstageEventQueryVariables>;
export const BackstageEventStatusDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageEventStatus" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "name" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "organization" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "namespace" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "namespace" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "event" },
                  arguments: [
                    {
                      kind: "Argument",
                      name: { kind: "Name", value: "name" },
                      value: { kind: "Variable", name: { kind: "Name", value: "name" } },
                    },
                  ],
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "id" } },
                      { kind: "Field", name: { kind: "Name", value: "state" } },
                      { kind: "Field", name: { kind: "Name", value: "generation" } },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "status" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            { kind: "Field", name: { kind: "Name", value: "phase" } },
                            {
                              kind: "Field",
                              name: { kind: "Name", value: "ready" },
                              selectionSet: {
                                kind: "SelectionSet",
                                selections: [
                                  { kind: "Field", name: { kind: "Name", value: "status" } },
                                  { kind: "Field", name: { kind: "Name", value: "reason" } },
                                  { kind: "Field", name: { kind: "Name", value: "message" } },
                                ],
                              },
                            },
                            { kind: "Field", name: { kind: "Name", value: "upToDate" } },
                            { kind: "Field", name: { kind: "Name", value: "capacity" } },
                            { kind: "Field", name: { kind: "Name", value: "sold" } },
                            { kind: "Field", name: { kind: "Name", value: "held" } },
                            { kind: "Field", name: { kind: "Name", value: "available" } },
                            {
                              kind: "Field",
                              name: { kind: "Name", value: "checkoutWorkers" },
                              selectionSet: {
                                kind: "SelectionSet",
                                selections: [
                                  { kind: "FragmentSpread", name: { kind: "Name", value: "BackstageWorkerSet" } },
                                ],
                              },
                            },
                            {
                              kind: "Field",
                              name: { kind: "Name", value: "scanWorkers" },
                              selectionSet: {
                                kind: "SelectionSet",
                                selections: [
                                  { kind: "FragmentSpread", name: { kind: "Name", value: "BackstageWorkerSet" } },
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
      },
    },
    {
      kind: "FragmentDefinition",
      name: { kind: "Name", value: "BackstageWorkerSet" },
      typeCondition: { kind: "NamedType", name: { kind: "Name", value: "WorkerSetView" } },
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          { kind: "Field", name: { kind: "Name", value: "ready" } },
          { kind: "Field", name: { kind: "Name", value: "desired" } },
          { kind: "Field", name: { kind: "Name", value: "minReplicas" } },
          { kind: "Field", name: { kind: "Name", value: "maxReplicas" } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageEventStatusQuery, BackstageEventStatusQueryVariables>;
export const BackstageCreateEventDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageCreateEvent" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "input" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "CreateEventInput" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "createEvent" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "input" },
                value: { kind: "Variable", name: { kind: "Name", value: "input" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "id" } },
                { kind: "Field", name: { kind: "Name", value: "name" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageCreateEventMutation, BackstageCreateEventMutationVariables>;
export const BackstageUpdateEventDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageUpdateEvent" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "name" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "input" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "UpdateEventInput" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "force" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "Boolean" } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "updateEvent" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "name" },
                value: { kind: "Variable", name: { kind: "Name", value: "name" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "input" },
                value: { kind: "Variable", name: { kind: "Name", value: "input" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "force" },
                value: { kind: "Variable", name: { kind: "Name", value: "force" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "id" } },
                { kind: "Field", name: { kind: "Name", value: "name" } },
                { kind: "Field", name: { kind: "Name", value: "generation" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageUpdateEventMutation, BackstageUpdateEventMutationVariables>;
export const BackstagePublishEventDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstagePublishEvent" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "name" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "force" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "Boolean" } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "publishEvent" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "name" },
                value: { kind: "Variable", name: { kind: "Name", value: "name" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "force" },
                value: { kind: "Variable", name: { kind: "Name", value: "force" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "id" } },
                { kind: "Field", name: { kind: "Name", value: "name" } },
                { kind: "Field", name: { kind: "Name", value: "state" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstagePublishEventMutation, BackstagePublishEventMutationVariables>;
export const BackstageCancelEventDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageCancelEvent" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "name" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "force" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "Boolean" } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "cancelEvent" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "name" },
                value: { kind: "Variable", name: { kind: "Name", value: "name" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "force" },
                value: { kind: "Variable", name: { kind: "Name", value: "force" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "id" } },
                { kind: "Field", name: { kind: "Name", value: "name" } },
                { kind: "Field", name: { kind: "Name", value: "state" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageCancelEventMutation, BackstageCancelEventMutationVariables>;
export const BackstageCreateTierDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageCreateTier" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "input" } },
          type: {
            kind: "NonNullType",
            type: { kind: "NamedType", name: { kind: "Name", value: "CreateTicketTierInput" } },
          },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "createTicketTier" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "input" },
                value: { kind: "Variable", name: { kind: "Name", value: "input" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "name" } },
                { kind: "Field", name: { kind: "Name", value: "event" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageCreateTierMutation, BackstageCreateTierMutationVariables>;
export const BackstageUpdateTierDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageUpdateTier" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "name" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "input" } },
          type: {
            kind: "NonNullType",
            type: { kind: "NamedType", name: { kind: "Name", value: "UpdateTicketTierInput" } },
          },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "force" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "Boolean" } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "updateTicketTier" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "name" },
                value: { kind: "Variable", name: { kind: "Name", value: "name" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "input" },
                value: { kind: "Variable", name: { kind: "Name", value: "input" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "force" },
                value: { kind: "Variable", name: { kind: "Name", value: "force" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "name" } },
                { kind: "Field", name: { kind: "Name", value: "event" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageUpdateTierMutation, BackstageUpdateTierMutationVariables>;
export const BackstageDeleteTierDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageDeleteTier" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "name" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "force" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "Boolean" } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "deleteTicketTier" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "name" },
                value: { kind: "Variable", name: { kind: "Name", value: "name" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "force" },
                value: { kind: "Variable", name: { kind: "Name", value: "force" } },
              },
            ],
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageDeleteTierMutation, BackstageDeleteTierMutationVariables>;
export const BackstageOrdersDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageOrders" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "organization" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "String" } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "event" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "String" } },
        },
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
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "search" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "String" } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "states" } },
          type: {
            kind: "ListType",
            type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "OrderState" } } },
          },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "orders" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "organization" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
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
              {
                kind: "Argument",
                name: { kind: "Name", value: "search" },
                value: { kind: "Variable", name: { kind: "Name", value: "search" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "states" },
                value: { kind: "Variable", name: { kind: "Name", value: "states" } },
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
                      { kind: "Field", name: { kind: "Name", value: "refundedMinor" } },
                      { kind: "Field", name: { kind: "Name", value: "currency" } },
                      { kind: "Field", name: { kind: "Name", value: "placedAtMs" } },
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
} as unknown as DocumentNode<BackstageOrdersQuery, BackstageOrdersQueryVariables>;
export const BackstageOrderDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageOrder" },
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
                { kind: "Field", name: { kind: "Name", value: "refundedMinor" } },
                { kind: "Field", name: { kind: "Name", value: "currency" } },
                { kind: "Field", name: { kind: "Name", value: "placedAtMs" } },
                { kind: "Field", name: { kind: "Name", value: "paymentIntentId" } },
                { kind: "Field", name: { kind: "Name", value: "paymentError" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "buyer" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "name" } },
                      { kind: "Field", name: { kind: "Name", value: "email" } },
                      { kind: "Field", name: { kind: "Name", value: "phone" } },
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
                {
                  kind: "Field",
                  name: { kind: "Name", value: "refunds" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "id" } },
                      { kind: "Field", name: { kind: "Name", value: "ticketIds" } },
                      { kind: "Field", name: { kind: "Name", value: "amountMinor" } },
                      { kind: "Field", name: { kind: "Name", value: "currency" } },
                      { kind: "Field", name: { kind: "Name", value: "feesReturned" } },
                      { kind: "Field", name: { kind: "Name", value: "state" } },
                      { kind: "Field", name: { kind: "Name", value: "reason" } },
                    ],
                  },
                },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "customer" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "email" } },
                      { kind: "Field", name: { kind: "Name", value: "currency" } },
                      { kind: "Field", name: { kind: "Name", value: "orders" } },
                      { kind: "Field", name: { kind: "Name", value: "lifetimeValueMinor" } },
                      { kind: "Field", name: { kind: "Name", value: "refundedMinor" } },
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
} as unknown as DocumentNode<BackstageOrderQuery, BackstageOrderQueryVariables>;
export const BackstageResendTicketsDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageResendTickets" },
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
                { kind: "Field", name: { kind: "Name", value: "state" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageResendTicketsMutation, BackstageResendTicketsMutationVariables>;
export const BackstageRefundTicketsDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageRefundTickets" },
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
          variable: { kind: "Variable", name: { kind: "Name", value: "ticketIds" } },
          type: {
            kind: "NonNullType",
            type: {
              kind: "ListType",
              type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "ID" } } },
            },
          },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "reason" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "String" } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "refundId" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "ID" } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "refundTickets" },
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
                name: { kind: "Name", value: "ticketIds" },
                value: { kind: "Variable", name: { kind: "Name", value: "ticketIds" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "reason" },
                value: { kind: "Variable", name: { kind: "Name", value: "reason" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "refundId" },
                value: { kind: "Variable", name: { kind: "Name", value: "refundId" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "id" } },
                { kind: "Field", name: { kind: "Name", value: "amountMinor" } },
                { kind: "Field", name: { kind: "Name", value: "currency" } },
                { kind: "Field", name: { kind: "Name", value: "state" } },
                { kind: "Field", name: { kind: "Name", value: "feesReturned" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageRefundTicketsMutation, BackstageRefundTicketsMutationVariables>;
export const BackstageRefundOrderDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageRefundOrder" },
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
          variable: { kind: "Variable", name: { kind: "Name", value: "reason" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "String" } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "refundId" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "ID" } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "refundOrder" },
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
                name: { kind: "Name", value: "reason" },
                value: { kind: "Variable", name: { kind: "Name", value: "reason" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "refundId" },
                value: { kind: "Variable", name: { kind: "Name", value: "refundId" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "id" } },
                { kind: "Field", name: { kind: "Name", value: "amountMinor" } },
                { kind: "Field", name: { kind: "Name", value: "currency" } },
                { kind: "Field", name: { kind: "Name", value: "state" } },
                { kind: "Field", name: { kind: "Name", value: "feesReturned" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageRefundOrderMutation, BackstageRefundOrderMutationVariables>;
export const BackstageExportLinkDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageExportLink" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "organization" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "event" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "String" } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "kind" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "ExportKind" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "exportLink" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "organization" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "kind" },
                value: { kind: "Variable", name: { kind: "Name", value: "kind" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "url" } },
                { kind: "Field", name: { kind: "Name", value: "expiresAt" } },
                { kind: "Field", name: { kind: "Name", value: "kind" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageExportLinkQuery, BackstageExportLinkQueryVariables>;
export const BackstageBoxOfficeTiersDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageBoxOfficeTiers" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "name" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "organization" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "namespace" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "namespace" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "event" },
                  arguments: [
                    {
                      kind: "Argument",
                      name: { kind: "Name", value: "name" },
                      value: { kind: "Variable", name: { kind: "Name", value: "name" } },
                    },
                  ],
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "id" } },
                      { kind: "Field", name: { kind: "Name", value: "name" } },
                      { kind: "Field", name: { kind: "Name", value: "slug" } },
                      { kind: "Field", name: { kind: "Name", value: "title" } },
                      { kind: "Field", name: { kind: "Name", value: "state" } },
                      { kind: "Field", name: { kind: "Name", value: "currency" } },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "tiers" },
                        arguments: [
                          {
                            kind: "Argument",
                            name: { kind: "Name", value: "first" },
                            value: { kind: "IntValue", value: "100" },
                          },
                        ],
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            {
                              kind: "Field",
                              name: { kind: "Name", value: "nodes" },
                              selectionSet: {
                                kind: "SelectionSet",
                                selections: [
                                  { kind: "Field", name: { kind: "Name", value: "name" } },
                                  { kind: "Field", name: { kind: "Name", value: "displayName" } },
                                  { kind: "Field", name: { kind: "Name", value: "kind" } },
                                  { kind: "Field", name: { kind: "Name", value: "priceMinor" } },
                                  { kind: "Field", name: { kind: "Name", value: "currency" } },
                                  { kind: "Field", name: { kind: "Name", value: "visibility" } },
                                  { kind: "Field", name: { kind: "Name", value: "tableSeats" } },
                                  {
                                    kind: "Field",
                                    name: { kind: "Name", value: "perOrder" },
                                    selectionSet: {
                                      kind: "SelectionSet",
                                      selections: [
                                        { kind: "Field", name: { kind: "Name", value: "min" } },
                                        { kind: "Field", name: { kind: "Name", value: "max" } },
                                      ],
                                    },
                                  },
                                  {
                                    kind: "Field",
                                    name: { kind: "Name", value: "status" },
                                    selectionSet: {
                                      kind: "SelectionSet",
                                      selections: [{ kind: "Field", name: { kind: "Name", value: "available" } }],
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
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageBoxOfficeTiersQuery, BackstageBoxOfficeTiersQueryVariables>;
export const BackstageHoldDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageHold" },
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
} as unknown as DocumentNode<BackstageHoldMutation, BackstageHoldMutationVariables>;
export const BackstageCreateBoxOfficeOrderDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageCreateBoxOfficeOrder" },
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
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "BuyerInput" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "payment" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "BoxOfficePayment" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "orderId" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "ID" } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "createBoxOfficeOrder" },
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
                name: { kind: "Name", value: "payment" },
                value: { kind: "Variable", name: { kind: "Name", value: "payment" } },
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
                { kind: "Field", name: { kind: "Name", value: "id" } },
                { kind: "Field", name: { kind: "Name", value: "number" } },
                { kind: "Field", name: { kind: "Name", value: "event" } },
                { kind: "Field", name: { kind: "Name", value: "state" } },
                { kind: "Field", name: { kind: "Name", value: "totalMinor" } },
                { kind: "Field", name: { kind: "Name", value: "currency" } },
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
                  name: { kind: "Name", value: "tickets" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "id" } },
                      { kind: "Field", name: { kind: "Name", value: "label" } },
                      { kind: "Field", name: { kind: "Name", value: "seat" } },
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
} as unknown as DocumentNode<BackstageCreateBoxOfficeOrderMutation, BackstageCreateBoxOfficeOrderMutationVariables>;
export const BackstageReleaseHoldDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageReleaseHold" },
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
            ],
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageReleaseHoldMutation, BackstageReleaseHoldMutationVariables>;
export const BackstagePublicUrlDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstagePublicUrl" },
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "portalConfig" },
            selectionSet: {
              kind: "SelectionSet",
              selections: [{ kind: "Field", name: { kind: "Name", value: "publicUrl" } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstagePublicUrlQuery, BackstagePublicUrlQueryVariables>;
export const BackstageRefundStatsDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageRefundStats" },
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
            name: { kind: "Name", value: "refundStats" },
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
                { kind: "Field", name: { kind: "Name", value: "refunds" } },
                { kind: "Field", name: { kind: "Name", value: "tickets" } },
                { kind: "Field", name: { kind: "Name", value: "amountMinor" } },
                { kind: "Field", name: { kind: "Name", value: "feesReturnedMinor" } },
                { kind: "Field", name: { kind: "Name", value: "currency" } },
                { kind: "Field", name: { kind: "Name", value: "ordersFullyRefunded" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageRefundStatsQuery, BackstageRefundStatsQueryVariables>;
export const BackstageRefundSeriesDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageRefundSeries" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "event" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "String" } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "from" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "to" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "bucket" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "Bucket" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "salesSeries" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "from" },
                value: { kind: "Variable", name: { kind: "Name", value: "from" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "to" },
                value: { kind: "Variable", name: { kind: "Name", value: "to" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "bucket" },
                value: { kind: "Variable", name: { kind: "Name", value: "bucket" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "currency" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "buckets" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "start" } },
                      { kind: "Field", name: { kind: "Name", value: "orders" } },
                      { kind: "Field", name: { kind: "Name", value: "grossMinor" } },
                      { kind: "Field", name: { kind: "Name", value: "refundedMinor" } },
                    ],
                  },
                },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "total" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "start" } },
                      { kind: "Field", name: { kind: "Name", value: "orders" } },
                      { kind: "Field", name: { kind: "Name", value: "grossMinor" } },
                      { kind: "Field", name: { kind: "Name", value: "refundedMinor" } },
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
} as unknown as DocumentNode<BackstageRefundSeriesQuery, BackstageRefundSeriesQueryVariables>;
export const BackstageRefundEventDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageRefundEvent" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "event" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "dryRun" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "Boolean" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "refundEvent" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "event" },
                value: { kind: "Variable", name: { kind: "Name", value: "event" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "dryRun" },
                value: { kind: "Variable", name: { kind: "Name", value: "dryRun" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "dryRun" } },
                { kind: "Field", name: { kind: "Name", value: "orders" } },
                { kind: "Field", name: { kind: "Name", value: "tickets" } },
                { kind: "Field", name: { kind: "Name", value: "amountMinor" } },
                { kind: "Field", name: { kind: "Name", value: "feesReturnedMinor" } },
                { kind: "Field", name: { kind: "Name", value: "currency" } },
                { kind: "Field", name: { kind: "Name", value: "failedOrders" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageRefundEventMutation, BackstageRefundEventMutationVariables>;
export const BackstageMembersDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageMembers" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
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
            name: { kind: "Name", value: "organization" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "namespace" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "namespace" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "members" },
                  arguments: [
                    {
                      kind: "Argument",
                      name: { kind: "Name", value: "first" },
                      value: { kind: "IntValue", value: "100" },
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
                            { kind: "Field", name: { kind: "Name", value: "email" } },
                            { kind: "Field", name: { kind: "Name", value: "role" } },
                            {
                              kind: "Field",
                              name: { kind: "Name", value: "fieldOwners" },
                              selectionSet: {
                                kind: "SelectionSet",
                                selections: [
                                  { kind: "Field", name: { kind: "Name", value: "field" } },
                                  { kind: "Field", name: { kind: "Name", value: "manager" } },
                                  { kind: "Field", name: { kind: "Name", value: "byGateway" } },
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
      },
    },
  ],
} as unknown as DocumentNode<BackstageMembersQuery, BackstageMembersQueryVariables>;
export const BackstageSetMemberDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageSetMember" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "email" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "role" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "Role" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "force" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "Boolean" } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "setMember" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "email" },
                value: { kind: "Variable", name: { kind: "Name", value: "email" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "role" },
                value: { kind: "Variable", name: { kind: "Name", value: "role" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "force" },
                value: { kind: "Variable", name: { kind: "Name", value: "force" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "email" } },
                { kind: "Field", name: { kind: "Name", value: "role" } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageSetMemberMutation, BackstageSetMemberMutationVariables>;
export const BackstageRemoveMemberDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageRemoveMember" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
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
            name: { kind: "Name", value: "removeMember" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "email" },
                value: { kind: "Variable", name: { kind: "Name", value: "email" } },
              },
            ],
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageRemoveMemberMutation, BackstageRemoveMemberMutationVariables>;
export const BackstageVenuesDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageVenues" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
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
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "last" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "Int" } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "before" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "String" } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "organization" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "namespace" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "namespace" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "venues" },
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
                    {
                      kind: "Argument",
                      name: { kind: "Name", value: "last" },
                      value: { kind: "Variable", name: { kind: "Name", value: "last" } },
                    },
                    {
                      kind: "Argument",
                      name: { kind: "Name", value: "before" },
                      value: { kind: "Variable", name: { kind: "Name", value: "before" } },
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
                            { kind: "Field", name: { kind: "Name", value: "hasPreviousPage" } },
                            { kind: "Field", name: { kind: "Name", value: "startCursor" } },
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
                            { kind: "Field", name: { kind: "Name", value: "name" } },
                            { kind: "Field", name: { kind: "Name", value: "displayName" } },
                            { kind: "Field", name: { kind: "Name", value: "timezone" } },
                            { kind: "Field", name: { kind: "Name", value: "capacity" } },
                            {
                              kind: "Field",
                              name: { kind: "Name", value: "address" },
                              selectionSet: {
                                kind: "SelectionSet",
                                selections: [
                                  { kind: "Field", name: { kind: "Name", value: "city" } },
                                  { kind: "Field", name: { kind: "Name", value: "country" } },
                                ],
                              },
                            },
                            {
                              kind: "Field",
                              name: { kind: "Name", value: "sections" },
                              selectionSet: {
                                kind: "SelectionSet",
                                selections: [{ kind: "Field", name: { kind: "Name", value: "name" } }],
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
      },
    },
  ],
} as unknown as DocumentNode<BackstageVenuesQuery, BackstageVenuesQueryVariables>;
export const BackstageVenueDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageVenue" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "name" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "organization" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "namespace" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "namespace" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "venue" },
                  arguments: [
                    {
                      kind: "Argument",
                      name: { kind: "Name", value: "name" },
                      value: { kind: "Variable", name: { kind: "Name", value: "name" } },
                    },
                  ],
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "name" } },
                      { kind: "Field", name: { kind: "Name", value: "displayName" } },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "address" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            { kind: "Field", name: { kind: "Name", value: "line1" } },
                            { kind: "Field", name: { kind: "Name", value: "line2" } },
                            { kind: "Field", name: { kind: "Name", value: "city" } },
                            { kind: "Field", name: { kind: "Name", value: "region" } },
                            { kind: "Field", name: { kind: "Name", value: "postalCode" } },
                            { kind: "Field", name: { kind: "Name", value: "country" } },
                          ],
                        },
                      },
                      { kind: "Field", name: { kind: "Name", value: "timezone" } },
                      { kind: "Field", name: { kind: "Name", value: "capacity" } },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "sections" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            { kind: "Field", name: { kind: "Name", value: "name" } },
                            { kind: "Field", name: { kind: "Name", value: "generalAdmissionCapacity" } },
                            { kind: "Field", name: { kind: "Name", value: "rows" } },
                            { kind: "Field", name: { kind: "Name", value: "seatsPerRow" } },
                            { kind: "Field", name: { kind: "Name", value: "seatLabels" } },
                            { kind: "Field", name: { kind: "Name", value: "tables" } },
                            { kind: "Field", name: { kind: "Name", value: "seatsPerTable" } },
                          ],
                        },
                      },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "status" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            {
                              kind: "Field",
                              name: { kind: "Name", value: "ready" },
                              selectionSet: {
                                kind: "SelectionSet",
                                selections: [
                                  { kind: "Field", name: { kind: "Name", value: "status" } },
                                  { kind: "Field", name: { kind: "Name", value: "reason" } },
                                  { kind: "Field", name: { kind: "Name", value: "message" } },
                                ],
                              },
                            },
                            { kind: "Field", name: { kind: "Name", value: "sectionCapacity" } },
                          ],
                        },
                      },
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "fieldOwners" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            { kind: "Field", name: { kind: "Name", value: "field" } },
                            { kind: "Field", name: { kind: "Name", value: "manager" } },
                            { kind: "Field", name: { kind: "Name", value: "operation" } },
                            { kind: "Field", name: { kind: "Name", value: "byGateway" } },
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
} as unknown as DocumentNode<BackstageVenueQuery, BackstageVenueQueryVariables>;
export const BackstageCreateVenueDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageCreateVenue" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "input" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "CreateVenueInput" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "createVenue" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "input" },
                value: { kind: "Variable", name: { kind: "Name", value: "input" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [{ kind: "Field", name: { kind: "Name", value: "name" } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageCreateVenueMutation, BackstageCreateVenueMutationVariables>;
export const BackstageUpdateVenueDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageUpdateVenue" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "name" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "input" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "UpdateVenueInput" } } },
        },
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "force" } },
          type: { kind: "NamedType", name: { kind: "Name", value: "Boolean" } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "updateVenue" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "organization" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "name" },
                value: { kind: "Variable", name: { kind: "Name", value: "name" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "input" },
                value: { kind: "Variable", name: { kind: "Name", value: "input" } },
              },
              {
                kind: "Argument",
                name: { kind: "Name", value: "force" },
                value: { kind: "Variable", name: { kind: "Name", value: "force" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [{ kind: "Field", name: { kind: "Name", value: "name" } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BackstageUpdateVenueMutation, BackstageUpdateVenueMutationVariables>;
export const BackstageEventChoicesDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageEventChoices" },
      variableDefinitions: [
        {
          kind: "VariableDefinition",
          variable: { kind: "Variable", name: { kind: "Name", value: "ns" } },
          type: { kind: "NonNullType", type: { kind: "NamedType", name: { kind: "Name", value: "String" } } },
        },
      ],
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "organization" },
            arguments: [
              {
                kind: "Argument",
                name: { kind: "Name", value: "namespace" },
                value: { kind: "Variable", name: { kind: "Name", value: "ns" } },
              },
            ],
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "namespace" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "events" },
                  arguments: [
                    {
                      kind: "Argument",
                      name: { kind: "Name", value: "first" },
                      value: { kind: "IntValue", value: "100" },
                    },
                  ],
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      {
                        kind: "Field",
                        name: { kind: "Name", value: "nodes" },
                        selectionSet: {
                          kind: "SelectionSet",
                          selections: [
                            { kind: "Field", name: { kind: "Name", value: "id" } },
                            { kind: "Field", name: { kind: "Name", value: "name" } },
                            { kind: "Field", name: { kind: "Name", value: "slug" } },
                            { kind: "Field", name: { kind: "Name", value: "title" } },
                            { kind: "Field", name: { kind: "Name", value: "state" } },
                            { kind: "Field", name: { kind: "Name", value: "currency" } },
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
} as unknown as DocumentNode<BackstageEventChoicesQuery, BackstageEventChoicesQueryVariables>;
export const BackstageMeDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "query",
      name: { kind: "Name", value: "BackstageMe" },
      selectionSet: {
        kind: "SelectionSet",
        selections: [
          {
            kind: "Field",
            name: { kind: "Name", value: "me" },
            selectionSet: {
              kind: "SelectionSet",
              selections: [
                { kind: "Field", name: { kind: "Name", value: "login" } },
                { kind: "Field", name: { kind: "Name", value: "email" } },
                { kind: "Field", name: { kind: "Name", value: "superUser" } },
                {
                  kind: "Field",
                  name: { kind: "Name", value: "organizations" },
                  selectionSet: {
                    kind: "SelectionSet",
                    selections: [
                      { kind: "Field", name: { kind: "Name", value: "namespace" } },
                      { kind: "Field", name: { kind: "Name", value: "name" } },
                      { kind: "Field", name: { kind: "Name", value: "displayName" } },
                      { kind: "Field", name: { kind: "Name", value: "role" } },
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
} as unknown as DocumentNode<BackstageMeQuery, BackstageMeQueryVariables>;
export const BackstageLogoutDocument = {
  kind: "Document",
  definitions: [
    {
      kind: "OperationDefinition",
      operation: "mutation",
      name: { kind: "Name", value: "BackstageLogout" },
      selectionSet: { kind: "SelectionSet", selections: [{ kind: "Field", name: { kind: "Name", value: "logout" } }] },
    },
  ],
} as unknown as DocumentNode<BackstageLogoutMutation, BackstageLogoutMutationVariables>;
