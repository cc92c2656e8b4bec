/** The checkout session and the holds placed in it. */
import type { Client } from "urql";
import { ApiError, dataOf, toApiError } from "../../api/errors";
import { uuid } from "../../api/ids";
import { loadStored, store } from "../../api/session";
import { HoldMutation, ReleaseMutation, StartCheckoutMutation } from "./api";

export interface CheckoutSession {
  token: string;
  expiresAtMs: number;
}

/** What the buyer picked of one tier: a number, or seats (tables) by label. */
export interface WantedHold {
  tier: string;
  displayName: string;
  quantity: number;
  seats: string[];
}

/** A hold placed: what createOrder is given back. */
export interface HeldTier {
  holdId: string;
  tier: string;
  displayName: string;
  quantity: number;
  seats: string[];
  expiresAtMs: number;
}

/** A tier that could not be held; `code` is the gateway's (NOT_ENOUGH, SEAT_TAKEN, NOT_ON_SALE …). */
export class HoldError extends Error {
  override name = "HoldError";
  constructor(
    readonly code: string | undefined,
    readonly tier: string,
    message: string,
  ) {
    super(message);
  }
}

/** A hold needs this much of the checkout session left, or a new session is started. */
const SESSION_MARGIN_MS = 30 * 60_000;

const key = (event: string) => `sellout.portal.checkout.${event}`;

/** The checkout session of this tab for `event`, started when there is none (or it runs out soon). */
export async function ensureCheckout(client: Client, event: string, now = Date.now()): Promise<CheckoutSession> {
  const kept = loadStored<CheckoutSession>(key(event));
  if (kept && kept.expiresAtMs - now > SESSION_MARGIN_MS) return kept;
  const session = dataOf(await client.mutation(StartCheckoutMutation, {}).toPromise()).startCheckout;
  store(key(event), session);
  return session;
}

export function forgetCheckout(event: string) {
  store(key(event), null);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function holdOne(client: Client, event: string, checkout: string, want: WantedHold): Promise<HeldTier> {
  const holdId = uuid();
  const seated = want.seats.length > 0;
  for (let attempt = 0; ; attempt++) {
    const result = await client
      .mutation(HoldMutation, {
        event,
        tier: want.tier,
        quantity: seated ? want.seats.length : want.quantity,
        seats: seated ? want.seats : undefined,
        holdId,
        checkout,
      })
      .toPromise();
    const hold = result.data?.hold;
    if (hold)
      return {
        holdId: String(hold.id),
        tier: hold.tier,
        displayName: want.displayName,
        quantity: hold.quantity,
        seats: hold.seats,
        expiresAtMs: hold.expiresAtMs,
      };
    const err = result.error ? toApiError(result.error) : new ApiError("no hold", undefined);
    // the same holdId again never holds twice
    if (err.transient && attempt < 2) {
      await sleep(400 * (attempt + 1));
      continue;
    }
    throw new HoldError(err.code, want.tier, err.message);
  }
}

/**
 * Holds every wanted tier in turn. When one is refused, those already
 * placed are released and the refusal is thrown (a HoldError).
 */
export async function placeHolds(
  client: Client,
  event: string,
  checkout: string,
  wanted: WantedHold[],
): Promise<HeldTier[]> {
  const placed: HeldTier[] = [];
  try {
    for (const w of wanted) placed.push(await holdOne(client, event, checkout, w));
    return placed;
  } catch (e) {
    await releaseHolds(client, event, checkout, placed);
    throw e;
  }
}

/** Gives holds back (best effort: a hold that already ended needs nothing). */
export async function releaseHolds(client: Client, event: string, checkout: string, holds: HeldTier[]) {
  await Promise.allSettled(
    holds.map((h) => client.mutation(ReleaseMutation, { event, holdId: h.holdId, checkout }).toPromise()),
  );
}

/** The earliest moment one of the holds runs out. */
export function earliestExpiry(holds: HeldTier[]): number | null {
  return holds.length ? Math.min(...holds.map((h) => h.expiresAtMs)) : null;
}

/** Codes that mean a hold is gone: the buyer must pick again. */
export const HOLD_GONE = new Set(["HOLD_ENDED", "UNKNOWN_HOLD"]);
