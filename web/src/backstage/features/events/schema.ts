/**
 * The event forms' values (strings, as inputs hold them), their checks,
 * and what the API is sent: times in UTC, money in integer minor units,
 * rates in basis points. Messages say what to fix.
 */
import { z } from "zod";
import type {
  ChargeTarget,
  CreateEventInput,
  EventDayInput,
  FeeInput,
  PromotionInput,
  TaxInput,
  UpdateEventInput,
} from "../../gql/graphql";
import { nameSchema } from "../../components/names";
import { fixedProblem, fixedToDecimal, minorToDecimal, moneyProblem, parseFixed, parseMinor } from "./money";
import { fromLocalInput, toLocalInput } from "./time";

const when = z
  .string()
  .min(1, "Pick a date and time")
  .refine((v) => fromLocalInput(v) !== null, "Not a valid date and time");

const at = (v: string) => fromLocalInput(v) ?? "";

export const daySchema = z
  .object({ doorsAt: when, startsAt: when, endsAt: when })
  .refine((d) => !at(d.doorsAt) || !at(d.startsAt) || at(d.doorsAt) <= at(d.startsAt), {
    path: ["doorsAt"],
    message: "Doors open at or before the start",
  })
  .refine((d) => !at(d.startsAt) || !at(d.endsAt) || at(d.startsAt) < at(d.endsAt), {
    path: ["endsAt"],
    message: "The day ends after it starts",
  });

export type DayValues = z.infer<typeof daySchema>;

const holdTtl = z
  .string()
  .trim()
  .refine((v) => v === "" || (/^\d+$/.test(v) && Number(v) >= 60 && Number(v) <= 3600), "60 to 3600 seconds");

const currencySchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/, "A three-letter ISO 4217 code, e.g. GBP");

export const newEventSchema = z.object({
  name: nameSchema(54),
  title: z.string().trim().min(1, "Give the event a title").max(200, "At most 200 characters"),
  description: z.string(),
  venue: z.string().min(1, "Pick the venue"),
  currency: currencySchema,
  days: z.array(daySchema).min(1, "Add at least one day"),
  onSaleAt: when,
  holdTtlSeconds: holdTtl,
});

export type NewEventValues = z.infer<typeof newEventSchema>;

export const emptyDay: DayValues = { doorsAt: "", startsAt: "", endsAt: "" };

export const newEventDefaults: NewEventValues = {
  name: "",
  title: "",
  description: "",
  venue: "",
  currency: "GBP",
  days: [emptyDay],
  onSaleAt: "",
  holdTtlSeconds: "600",
};

const daysInput = (days: readonly DayValues[]): EventDayInput[] =>
  days.map((d) => ({ doorsAt: at(d.doorsAt), startsAt: at(d.startsAt), endsAt: at(d.endsAt) }));

export function toCreateEventInput(v: NewEventValues): CreateEventInput {
  const description = v.description.trim();
  return {
    name: v.name.trim(),
    title: v.title.trim(),
    ...(description ? { description } : {}),
    venue: v.venue,
    currency: v.currency.trim().toUpperCase(),
    days: daysInput(v.days),
    onSaleAt: at(v.onSaleAt),
    ...(v.holdTtlSeconds.trim() ? { holdTtlSeconds: Number(v.holdTtlSeconds) } : {}),
  };
}

/** Where the API's paths land in the event forms (causes and conflicts). */
export const EVENT_FIELDS = {
  "metadata.name": "name",
  "spec.title": "title",
  "spec.description": "description",
  "spec.venueRef": "venue",
  "spec.currency": "currency",
  "spec.days": "days",
  "spec.onSaleAt": "onSaleAt",
  "spec.offSaleAt": "offSaleAt",
  "spec.holdTtlSeconds": "holdTtlSeconds",
  "spec.fees": "fees",
  "spec.taxes": "taxes",
  "spec.promotions": "promotions",
  "spec.state": "state",
} as const;

export type EventField = (typeof EVENT_FIELDS)[keyof typeof EVENT_FIELDS];

// ---- The edit form ----

export const CHARGE_TARGETS: { value: ChargeTarget; label: string }[] = [
  { value: "TICKET", label: "Each ticket" },
  { value: "ADD_ON", label: "Each add-on" },
  { value: "ORDER", label: "Once per order" },
];

const chargeTarget = z.enum(["TICKET", "ADD_ON", "ORDER"]);

/** A fee or a discount: a flat amount in the currency, or a percentage. */
const amountRow = (currency: string) =>
  z
    .object({ kind: z.enum(["flat", "percent"]), amount: z.string().trim() })
    .refine((r) => (r.kind === "flat" ? parseMinor(r.amount, currency) : parseFixed(r.amount, 2)) !== null, {
      path: ["amount"],
      error: (iss) => {
        const r = iss.input as { kind?: string; amount?: string } | undefined;
        const text = String(r?.amount ?? "");
        const problem = r?.kind === "flat" ? moneyProblem(text, currency) : fixedProblem(text, 2);
        return problem ?? "An amount like 2.50 (or a percentage like 2.5)";
      },
    });

export const editEventSchema = (currency: string) =>
  z
    .object({
      title: z.string().trim().min(1, "Give the event a title").max(200, "At most 200 characters"),
      venue: z.string().min(1, "Pick the venue"),
      currency: currencySchema,
      description: z.string(),
      days: z.array(daySchema).min(1, "Add at least one day"),
      onSaleAt: when,
      offSaleAt: z.string().refine((v) => v === "" || fromLocalInput(v) !== null, "Not a valid date and time"),
      holdTtlSeconds: holdTtl,
      fees: z.array(
        z.object({ name: z.string().trim().min(1, "Name the fee"), appliesTo: chargeTarget }).and(amountRow(currency)),
      ),
      taxes: z.array(
        z.object({
          name: z.string().trim().min(1, "Name the tax"),
          appliesTo: chargeTarget,
          rate: z
            .string()
            .trim()
            .refine((v) => parseFixed(v, 2) !== null, "A percentage like 20"),
        }),
      ),
      promotions: z.array(
        z
          .object({
            code: z
              .string()
              .trim()
              .regex(/^[A-Za-z0-9_-]+$/, "Letters, digits, - and _"),
            name: z.string().trim().min(1, "Name the discount"),
            appliesTo: chargeTarget,
          })
          .and(amountRow(currency)),
      ),
    })
    .refine((v) => !v.offSaleAt || at(v.onSaleAt) < at(v.offSaleAt), {
      path: ["offSaleAt"],
      message: "Sales stop after they start",
    });

export type EditEventValues = z.infer<ReturnType<typeof editEventSchema>>;

type Charge = { flatMinor?: number | null; percentBps?: number | null };

const amountOf = (c: Charge, currency: string) =>
  c.percentBps != null
    ? { kind: "percent" as const, amount: fixedToDecimal(c.percentBps, 2) }
    : { kind: "flat" as const, amount: minorToDecimal(c.flatMinor ?? 0, currency) };

const chargeOf = (r: { kind: "flat" | "percent"; amount: string }, currency: string) =>
  r.kind === "flat" ? { flatMinor: parseMinor(r.amount, currency) ?? 0 } : { percentBps: parseFixed(r.amount, 2) ?? 0 };

export interface EventLike {
  title: string;
  venueName: string;
  description?: string | null;
  currency: string;
  days: { doorsAt: string; startsAt: string; endsAt: string }[];
  onSaleAt: string;
  offSaleAt?: string | null;
  holdTtlSeconds: number;
  fees: ({ name: string; appliesTo: ChargeTarget } & Charge)[];
  taxes: { name: string; rateBps: number; appliesTo: ChargeTarget }[];
  promotions: ({ code: string; name: string; appliesTo: ChargeTarget } & Charge)[];
}

/** The edit form's values for an event as the API gave it. */
export function editDefaults(e: EventLike): EditEventValues {
  return {
    title: e.title,
    venue: e.venueName,
    currency: e.currency,
    description: e.description ?? "",
    days: e.days.map((d) => ({
      doorsAt: toLocalInput(d.doorsAt),
      startsAt: toLocalInput(d.startsAt),
      endsAt: toLocalInput(d.endsAt),
    })),
    onSaleAt: toLocalInput(e.onSaleAt),
    offSaleAt: toLocalInput(e.offSaleAt),
    holdTtlSeconds: String(e.holdTtlSeconds),
    fees: e.fees.map((f) => ({ name: f.name, appliesTo: f.appliesTo, ...amountOf(f, e.currency) })),
    taxes: e.taxes.map((t) => ({ name: t.name, appliesTo: t.appliesTo, rate: fixedToDecimal(t.rateBps, 2) })),
    promotions: e.promotions.map((p) => ({
      code: p.code,
      name: p.name,
      appliesTo: p.appliesTo,
      ...amountOf(p, e.currency),
    })),
  };
}

/**
 * Only what was changed from `before` (the form's starting values): a field
 * left alone is not sent, so a save never touches (or takes over) a field
 * another manager owns unless it was edited.
 */
export function toUpdateEventInput(v: EditEventValues, before: EditEventValues, currency: string): UpdateEventInput {
  const changed = (k: keyof EditEventValues) => JSON.stringify(v[k]) !== JSON.stringify(before[k]);
  const out: UpdateEventInput = {};
  if (changed("title")) out.title = v.title.trim();
  if (changed("venue")) out.venue = v.venue;
  if (changed("currency")) out.currency = v.currency.trim().toUpperCase();
  if (changed("description")) out.description = v.description.trim() || null;
  if (changed("days")) out.days = daysInput(v.days);
  if (changed("onSaleAt")) out.onSaleAt = at(v.onSaleAt);
  if (changed("offSaleAt")) out.offSaleAt = v.offSaleAt ? at(v.offSaleAt) : null;
  if (changed("holdTtlSeconds") && v.holdTtlSeconds.trim()) out.holdTtlSeconds = Number(v.holdTtlSeconds);
  if (changed("fees"))
    out.fees = v.fees.map((f): FeeInput => ({ name: f.name.trim(), appliesTo: f.appliesTo, ...chargeOf(f, currency) }));
  if (changed("taxes"))
    out.taxes = v.taxes.map((t): TaxInput => ({
      name: t.name.trim(),
      appliesTo: t.appliesTo,
      rateBps: parseFixed(t.rate, 2) ?? 0,
    }));
  if (changed("promotions"))
    out.promotions = v.promotions.map((p): PromotionInput => ({
      code: p.code.trim(),
      name: p.name.trim(),
      appliesTo: p.appliesTo,
      ...chargeOf(p, currency),
    }));
  return out;
}
