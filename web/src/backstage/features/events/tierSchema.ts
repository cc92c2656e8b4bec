/** The create-tier form: its values (strings, as inputs hold them), checks, and the API input. */
import { z } from "zod";
import type { CreateTicketTierInput, TierKind, UpdateTicketTierInput, Visibility } from "../../gql/graphql";
import { minorToDecimal, moneyProblem, parseMinor } from "./money";
import { nameSchema } from "../../components/names";
import { fromLocalInput } from "./time";

const count = (label: string, min: number) =>
  z
    .string()
    .trim()
    .refine(
      (v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= 1_000_000,
      `${label}: a whole number, at least ${min}`,
    );

const optionalCount = (label: string, min: number) =>
  z
    .string()
    .trim()
    .refine(
      (v) => v === "" || (/^\d+$/.test(v) && Number(v) >= min && Number(v) <= 1000),
      `${label}: a whole number, ${min} to 1000`,
    );

const optionalTime = z.string().refine((v) => v === "" || fromLocalInput(v) !== null, "Not a valid date and time");

export const tierSchema = (currency: string) =>
  z
    .object({
      name: nameSchema(63),
      displayName: z
        .string()
        .trim()
        .min(1, "Name it for buyers, e.g. General admission")
        .max(100, "At most 100 characters"),
      kind: z.enum(["ADMISSION", "ADD_ON"]),
      price: z
        .string()
        .trim()
        .refine((v) => parseMinor(v, currency) !== null, {
          error: (iss) =>
            moneyProblem(String(iss.input), currency) ?? `A price in ${currency} like 25 or 25.50 (0 for free)`,
        }),
      quantity: count("Quantity", 1),
      section: z.string(),
      tableSeats: optionalCount("Seats per table", 1),
      perOrderMin: optionalCount("Fewest per order", 1),
      perOrderMax: optionalCount("Most per order", 1),
      visibility: z.enum(["PUBLIC", "HIDDEN", "PROMO_CODE"]),
      promoCodes: z.string(),
      salesStart: optionalTime,
      salesEnd: optionalTime,
    })
    .refine((v) => !v.perOrderMin || !v.perOrderMax || Number(v.perOrderMin) <= Number(v.perOrderMax), {
      path: ["perOrderMax"],
      message: "At least the fewest per order",
    })
    .refine((v) => (v.perOrderMin === "") === (v.perOrderMax === ""), {
      path: ["perOrderMax"],
      message: "Give both the fewest and the most per order, or neither (1 to 10)",
    })
    .refine((v) => v.visibility !== "PROMO_CODE" || codesOf(v.promoCodes).length > 0, {
      path: ["promoCodes"],
      message: "Give at least one code that unlocks it",
    })
    .refine(
      (v) => !v.salesStart || !v.salesEnd || (fromLocalInput(v.salesStart) ?? "") < (fromLocalInput(v.salesEnd) ?? ""),
      { path: ["salesEnd"], message: "Sales end after they start" },
    );

export type TierValues = z.infer<ReturnType<typeof tierSchema>>;

export const tierDefaults: TierValues = {
  name: "",
  displayName: "",
  kind: "ADMISSION",
  price: "",
  quantity: "",
  section: "",
  tableSeats: "",
  perOrderMin: "",
  perOrderMax: "",
  visibility: "PUBLIC",
  promoCodes: "",
  salesStart: "",
  salesEnd: "",
};

export const KIND_LABELS: Record<TierKind, string> = { ADMISSION: "Admission", ADD_ON: "Add-on" };
export const VISIBILITY_LABELS: Record<Visibility, string> = {
  PUBLIC: "Public",
  HIDDEN: "Hidden (box office and direct link only)",
  PROMO_CODE: "Promo code only",
};

/** "EARLY, vip ,, x" → ["EARLY", "vip", "x"]. */
export function codesOf(text: string): string[] {
  return text
    .split(/[,\s]+/)
    .map((c) => c.trim())
    .filter(Boolean);
}

export function toCreateTierInput(v: TierValues, event: string, currency: string): CreateTicketTierInput {
  const start = fromLocalInput(v.salesStart);
  const end = fromLocalInput(v.salesEnd);
  return {
    name: v.name.trim(),
    event,
    displayName: v.displayName.trim(),
    kind: v.kind,
    price: { amountMinor: parseMinor(v.price, currency) ?? 0, currency },
    quantity: Number(v.quantity),
    visibility: v.visibility,
    ...(v.section ? { section: v.section } : {}),
    ...(v.tableSeats ? { tableSeats: Number(v.tableSeats) } : {}),
    ...(v.perOrderMin && v.perOrderMax ? { perOrder: { min: Number(v.perOrderMin), max: Number(v.perOrderMax) } } : {}),
    ...(v.visibility === "PROMO_CODE" ? { promoCodes: codesOf(v.promoCodes) } : {}),
    ...(start || end
      ? { salesWindow: { ...(start ? { startsAt: start } : {}), ...(end ? { endsAt: end } : {}) } }
      : {}),
  };
}

/** Where the API's tier paths land in the form. */
export const TIER_FIELDS = {
  "metadata.name": "name",
  "spec.displayName": "displayName",
  "spec.kind": "kind",
  "spec.price": "price",
  "spec.quantity": "quantity",
  "spec.section": "section",
  "spec.tableSeats": "tableSeats",
  "spec.perOrder.min": "perOrderMin",
  "spec.perOrder": "perOrderMax",
  "spec.visibility": "visibility",
  "spec.promoCodes": "promoCodes",
  "spec.salesWindow.startsAt": "salesStart",
  "spec.salesWindow": "salesEnd",
} as const;

// ---- Editing a tier ----

export const tierEditSchema = (currency: string) =>
  z
    .object({
      displayName: z.string().trim().min(1, "Name it for buyers").max(100, "At most 100 characters"),
      price: z
        .string()
        .trim()
        .refine((v) => parseMinor(v, currency) !== null, {
          error: (iss) =>
            moneyProblem(String(iss.input), currency) ?? `A price in ${currency} like 25 or 25.50 (0 for free)`,
        }),
      quantity: count("Quantity", 0),
      perOrderMin: count("Fewest per order", 1),
      perOrderMax: count("Most per order", 1),
      visibility: z.enum(["PUBLIC", "HIDDEN", "PROMO_CODE"]),
    })
    .refine((v) => Number(v.perOrderMin) <= Number(v.perOrderMax), {
      path: ["perOrderMax"],
      message: "At least the fewest per order",
    });

export type TierEditValues = z.infer<ReturnType<typeof tierEditSchema>>;

export interface TierLike {
  displayName: string;
  priceMinor: number;
  currency: string;
  quantity: number;
  perOrder: { min: number; max: number };
  visibility: Visibility;
}

export function tierEditDefaults(t: TierLike): TierEditValues {
  return {
    displayName: t.displayName,
    price: minorToDecimal(t.priceMinor, t.currency),
    quantity: String(t.quantity),
    perOrderMin: String(t.perOrder.min),
    perOrderMax: String(t.perOrder.max),
    visibility: t.visibility,
  };
}

/** Only what changed from `before`. */
export function toUpdateTierInput(v: TierEditValues, before: TierEditValues, currency: string): UpdateTicketTierInput {
  const out: UpdateTicketTierInput = {};
  if (v.displayName !== before.displayName) out.displayName = v.displayName.trim();
  if (parseMinor(v.price, currency) !== parseMinor(before.price, currency))
    out.price = { amountMinor: parseMinor(v.price, currency) ?? 0 };
  if (v.quantity !== before.quantity) out.quantity = Number(v.quantity);
  if (v.perOrderMin !== before.perOrderMin || v.perOrderMax !== before.perOrderMax)
    out.perOrder = { min: Number(v.perOrderMin), max: Number(v.perOrderMax) };
  if (v.visibility !== before.visibility) out.visibility = v.visibility;
  return out;
}
