/**
 * The offline verifier: what a scanner without network answers for a
 * ticket's QR text, from the event's scanner kit and the device's own
 * admissions. Pure: no I/O, the clock and the seen-set are arguments.
 *
 * Decision order (as the scan role's): decode → version → length → key id
 * known → signature → event → revoked → tier (unknown: INVALID; add-on:
 * REDEEMED) → day → gate's tiers → already admitted on this device → admitted.
 */
import * as ed from "@noble/ed25519";
import { sha512 } from "@noble/hashes/sha2.js";
import { decodeTicket, fromHex, type TicketClaims } from "./ticket.js";
import type { Admission, ScanAnswer, ScanGate, ScanKitDay, ScanKitTier, ScanOutcome, ScannerKit } from "./types.js";

export * from "./types.js";
export { decodeTicket, daysOfMask, uuidFromBytes, type DecodedTicket, type TicketClaims } from "./ticket.js";
export { base45Decode, base45Encode } from "./base45.js";

/** The key of the device's seen-set: one admission per ticket per day. */
export function seenKey(ticketId: string, day: number): string {
  return `${ticketId.toLowerCase()}/${day}`;
}

/** The device's own admissions (and add-on redemptions), by `seenKey`. */
export type SeenSet = ReadonlyMap<string, Admission>;

export interface VerifyOptions {
  /** This device's id, for the admission it makes. */
  device?: string;
  /** The staff login, for the admission it makes. */
  staff?: string;
}

interface PreparedKit {
  keys: Map<number, Uint8Array>;
  revoked: Set<string>;
  tiers: Map<string, ScanKitTier>;
  days: { day: ScanKitDay; from: number; until: number }[];
}

const prepared = new WeakMap<ScannerKit, PreparedKit>();

function prepare(kit: ScannerKit): PreparedKit {
  let p = prepared.get(kit);
  if (p) return p;
  const keys = new Map<number, Uint8Array>();
  for (const k of kit.keys) {
    const bytes = fromHex(k.publicKey);
    if (bytes?.length === 32) keys.set(k.keyId, bytes);
  }
  p = {
    keys,
    revoked: new Set(kit.revoked.map((id) => id.toLowerCase())),
    tiers: new Map(kit.tiers.map((t) => [t.hash.toLowerCase(), t])),
    days: kit.days
      .map((day) => ({ day, from: Date.parse(day.scanFrom), until: Date.parse(day.scanUntil) }))
      .filter((d) => !Number.isNaN(d.from) && !Number.isNaN(d.until))
      .sort((a, b) => a.from - b.from),
  };
  prepared.set(kit, p);
  return p;
}

/** Strict Ed25519 (RFC 8032; no small-order key or R, canonical encodings). */
function signatureValid(signature: Uint8Array, body: Uint8Array, publicKey: Uint8Array): boolean {
  ed.hashes.sha512 = sha512;
  try {
    if (ed.Point.fromBytes(signature.subarray(0, 32), false).isSmallOrder()) return false;
    return ed.verify(signature, body, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** A gate of the kit named `gate` (its name or display name), if any. */
export function findGate(kit: ScannerKit, gate: string): ScanGate | undefined {
  const g = gate.trim().toLowerCase();
  return kit.gates.find((k) => k.name.toLowerCase() === g || k.displayName.toLowerCase() === g);
}

function listDays(days: number[]): string {
  return days.length === 1 ? `day ${days[0]}` : `days ${days.join(", ")}`;
}

/**
 * What to answer for a ticket's QR text at `gate`, at time `now`, offline.
 * Never throws: anything that is not a genuine ticket is INVALID.
 */
export function verifyTicket(
  text: string,
  kit: ScannerKit,
  now: Date,
  gate: string,
  seen: SeenSet,
  options: VerifyOptions = {},
): ScanAnswer {
  try {
    return decide(text, kit, now, gate, seen, options);
  } catch {
    return answer("INVALID", "Not a valid ticket.", null);
  }
}

function answer(
  outcome: ScanOutcome,
  message: string,
  claims: TicketClaims | null,
  extra: Partial<ScanAnswer> = {},
): ScanAnswer {
  return {
    outcome,
    message,
    ticketId: claims?.ticketId ?? null,
    tier: null,
    tierDisplayName: null,
    holderName: null,
    day: 0,
    admissions: claims?.admits ?? 0,
    standing: null,
    validDays: claims?.validDays ?? [],
    retry: false,
    ...extra,
  };
}

function decide(
  text: string,
  kit: ScannerKit,
  now: Date,
  gate: string,
  seen: SeenSet,
  options: VerifyOptions,
): ScanAnswer {
  if (typeof text !== "string") return answer("INVALID", "Not a valid ticket.", null);
  const decoded = decodeTicket(text);
  if (!decoded.ok) {
    const why =
      decoded.error === "UNSUPPORTED_VERSION"
        ? "Not a ticket this scanner can read."
        : "Not a valid ticket (the code is damaged or incomplete).";
    return answer("INVALID", why, null);
  }
  const { claims, body, signature } = decoded.ticket;
  const kitPrep = prepare(kit);
  const key = kitPrep.keys.get(claims.keyId);
  if (!key) return answer("INVALID", "Not a valid ticket (unknown signing key).", null);
  if (!signatureValid(signature, body, key)) return answer("INVALID", "Not a valid ticket (forged or altered).", null);
  if (claims.validDaysMask === 0 || claims.admits === 0) return answer("INVALID", "Not a valid ticket.", null);

  if (claims.eventUid !== kit.eventUid.toLowerCase())
    return answer("WRONG_EVENT", "This ticket is for another event.", claims, { admissions: 0 });
  if (kitPrep.revoked.has(claims.ticketId))
    return answer("REVOKED", "This ticket was cancelled (refunded or revoked).", claims, { admissions: 0 });

  const tier = kitPrep.tiers.get(claims.tierHash);
  if (!tier) return answer("INVALID", "Not a valid ticket (unknown ticket type).", null);
  const tierFields = { tier: tier.name, tierDisplayName: tier.displayName };

  const t = now.getTime();
  // As the scan role: of the days being scanned, the one whose show is
  // still running (the earliest), else the coming one.
  const open = kitPrep.days.filter((d) => d.from <= t && t < d.until);
  const today = open.find((d) => t < Date.parse(d.day.endsAt)) ?? open[open.length - 1];
  const validOn = new Set(claims.validDays);
  // Not yet: valid on a later day than today's, or (no day on) on a day
  // whose scanning has not opened.
  const laterValid = today
    ? claims.validDays.some((d) => d > today.day.day)
    : kitPrep.days.some((d) => validOn.has(d.day.day) && d.from > t);
  if (!today || !validOn.has(today.day.day)) {
    const day = today?.day.day ?? 0;
    const outcome: ScanOutcome = laterValid ? "NOT_YET_VALID" : "WRONG_DAY";
    const message =
      outcome === "NOT_YET_VALID"
        ? `Not valid yet: this ticket is for ${listDays(claims.validDays)}.`
        : `Not valid today: this ticket is for ${listDays(claims.validDays)}.`;
    return answer(outcome, message, claims, { ...tierFields, day, admissions: 0 });
  }
  const day = today.day.day;

  const g = findGate(kit, gate);
  if (g && g.tiers.length > 0 && !g.tiers.includes(tier.name)) {
    const allowed = kit.gates.filter((k) => k.tiers.length === 0 || k.tiers.includes(tier.name));
    const where = allowed.length > 0 ? ` Use ${allowed.map((k) => k.displayName).join(" or ")}.` : "";
    return answer("WRONG_GATE", `${tier.displayName} does not enter at ${g.displayName}.${where}`, claims, {
      ...tierFields,
      day,
      admissions: 0,
    });
  }

  const before = seen.get(seenKey(claims.ticketId, day));
  if (before) {
    const what = tier.addOn ? "Already redeemed" : "Already admitted";
    return answer("ALREADY_ADMITTED", `${what} at ${before.gate} (day ${day}).`, claims, {
      ...tierFields,
      day,
      admissions: 0,
      standing: before,
    });
  }

  const standing: Admission = {
    at: now.toISOString(),
    gate: g?.name ?? gate,
    device: options.device ?? "",
    staff: options.staff ?? "",
    offline: true,
  };
  if (tier.addOn)
    return answer("REDEEMED", `Redeem: ${tier.displayName}.`, claims, { ...tierFields, day, admissions: 0, standing });
  const people = claims.admits === 1 ? "1 person" : `${claims.admits} people`;
  return answer("ADMITTED", `Admit ${people}: ${tier.displayName}.`, claims, { ...tierFields, day, standing });
}
