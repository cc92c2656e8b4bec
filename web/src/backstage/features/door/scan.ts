/** The door's pure parts: a scan answer in words, and the "scanned in" cards from the live counts. */
import type { BackstageCheckInCountsSubscription, BackstageScanMutation, ScanOutcome } from "../../gql/graphql";
import { timeOfDay } from "../../lib/format";

export type ScanAnswer = BackstageScanMutation["scan"];
export type DayCounts = BackstageCheckInCountsSubscription["checkInCounts"]["days"][number];

export type Tone = "admitted" | "already" | "refused";

export interface AnswerView {
  tone: Tone;
  /** Big and short: "Admitted", "Already in", "Refused". */
  headline: string;
  /** Why, for refusals; what it is, for admissions. */
  reason: string;
  /** Further facts (holder, tier, seat, when first admitted). */
  details: string[];
}

const REFUSAL: Record<Exclude<ScanOutcome, "ADMITTED" | "REDEEMED" | "ALREADY_ADMITTED">, string> = {
  REVOKED: "This ticket was refunded or cancelled.",
  WRONG_EVENT: "This ticket is for another event.",
  WRONG_DAY: "This ticket is not valid today.",
  NOT_YET_VALID: "This ticket is not valid yet.",
  WRONG_GATE: "This gate does not admit this ticket's tier.",
  INVALID: "This is not a valid ticket: unreadable, forged or altered.",
};

function days(list: readonly number[]): string {
  if (list.length === 0) return "";
  return list.length === 1 ? `day ${list[0]}` : `days ${list.join(", ")}`;
}

/** What the door shows for an answer of `scan`. */
export function viewOfAnswer(a: ScanAnswer): AnswerView {
  const details: string[] = [];
  if (a.holderName) details.push(`Name: ${a.holderName}`);
  const tier = a.tierDisplayName ?? a.tier;
  if (tier) details.push(`Ticket: ${tier}`);
  if (a.seat) details.push(`Seat: ${a.seat}`);
  switch (a.outcome) {
    case "ADMITTED":
      if (a.admissions > 1) details.push(`Admits ${a.admissions} people`);
      if (a.retry) details.push("Answer repeated for a retried scan: nothing new was recorded.");
      return { tone: "admitted", headline: "Admitted", reason: a.message || "Let them in.", details };
    case "REDEEMED":
      if (a.retry) details.push("Answer repeated for a retried scan: nothing new was recorded.");
      return { tone: "admitted", headline: "Redeemed", reason: a.message || "Add-on redeemed.", details };
    case "ALREADY_ADMITTED": {
      const s = a.standing;
      if (s) details.push(`First admitted at ${timeOfDay(s.at)} at ${s.gate}${s.offline ? " (offline scan)" : ""}`);
      return { tone: "already", headline: "Already in", reason: a.message || "Already admitted today.", details };
    }
    default: {
      const valid = days(a.validDays);
      if (valid && (a.outcome === "WRONG_DAY" || a.outcome === "NOT_YET_VALID")) details.push(`Valid on ${valid}`);
      const reason = a.message || REFUSAL[a.outcome];
      return { tone: "refused", headline: "Refused", reason, details };
    }
  }
}

export interface Card {
  /** "total", or `tier:<name>` / `gate:<name>`. */
  key: string;
  kind: "total" | "tier" | "gate";
  label: string;
  checkedIn: number;
  /** Tickets that could be checked in here (null when not known). */
  total: number | null;
}

export interface Totals {
  /** Admission tickets sold, for the event. */
  sold: number | null;
  /** Sold by tier name, with their names as shown. */
  tiers: { name: string; displayName: string; sold: number | null }[];
  /** The event's gates and the tiers each admits (empty: all). */
  gates: { name: string; displayName: string; tiers: string[] }[];
}

function sum(ns: (number | null)[]): number | null {
  let s = 0;
  for (const n of ns) {
    if (n === null) return null;
    s += n;
  }
  return s;
}

/**
 * The cards for one day: the event's total first, then each tier and each
 * gate (those the counts name, and those the event has, at 0).
 */
export function cardsOf(day: DayCounts | undefined, totals: Totals): Card[] {
  const soldOf = new Map(totals.tiers.map((t) => [t.name, t.sold]));
  const cards: Card[] = [
    { key: "total", kind: "total", label: "Scanned in", checkedIn: day?.checkedIn ?? 0, total: totals.sold },
  ];
  const tierNames = [...new Set([...totals.tiers.map((t) => t.name), ...(day?.byTier ?? []).map((t) => t.name)])];
  for (const name of tierNames) {
    const t = totals.tiers.find((x) => x.name === name);
    cards.push({
      key: `tier:${name}`,
      kind: "tier",
      label: t?.displayName ?? name,
      checkedIn: day?.byTier.find((x) => x.name === name)?.checkedIn ?? 0,
      total: soldOf.get(name) ?? null,
    });
  }
  const gateNames = [...new Set([...totals.gates.map((g) => g.name), ...(day?.byGate ?? []).map((g) => g.name)])];
  for (const name of gateNames) {
    const g = totals.gates.find((x) => x.name === name);
    const admits = g && g.tiers.length > 0 ? g.tiers : null;
    cards.push({
      key: `gate:${name}`,
      kind: "gate",
      label: `Gate ${g?.displayName ?? name}`,
      checkedIn: day?.byGate.find((x) => x.name === name)?.checkedIn ?? 0,
      total: admits ? sum(admits.map((n) => soldOf.get(n) ?? null)) : null,
    });
  }
  return cards;
}

/** The counts of day `day` (the latest day when it is not among them). */
export function dayOf(days: readonly DayCounts[], day: number | null): DayCounts | undefined {
  return days.find((d) => d.day === day) ?? (day === null ? days[days.length - 1] : undefined);
}

const DEVICE_KEY = "sellout.backstage.device";

/** This browser's scanner device id: a UUID made once and kept. */
export function deviceId(): string {
  try {
    let id = localStorage.getItem(DEVICE_KEY);
    if (!id) {
      id = `backstage-${crypto.randomUUID()}`;
      localStorage.setItem(DEVICE_KEY, id);
    }
    return id;
  } catch {
    return `backstage-${crypto.randomUUID()}`;
  }
}
