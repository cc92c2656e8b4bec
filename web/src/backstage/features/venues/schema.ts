/**
 * The venue forms' values (strings, as inputs hold them), their checks and
 * what the API is sent. A section is one of three kinds: general admission
 * (a capacity), seated (rows × seats per row) or tables (count × seats per
 * table; a table is sold whole).
 */
import { z } from "zod";
import type { AddressInput, CreateVenueInput, SectionInput, UpdateVenueInput } from "../../gql/graphql";
import { nameSchema } from "../../components/names";
import type { PlanSection, SectionKind } from "./plan";

const whole = (label: string, min = 1) =>
  z
    .string()
    .trim()
    .refine(
      (v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= 1_000_000,
      `${label}: a whole number, at least ${min}`,
    );

const anyString = z.string();

export const sectionSchema = z
  .object({
    name: nameSchema(63),
    kind: z.enum(["ga", "seated", "tables"]),
    capacity: anyString,
    rows: anyString,
    seatsPerRow: anyString,
    tables: anyString,
    seatsPerTable: anyString,
    /** Labels of an irregular seated section set elsewhere (kept as they are). */
    seatLabels: z.array(z.string()),
  })
  .superRefine((s, ctx) => {
    const need = (key: "capacity" | "rows" | "seatsPerRow" | "tables" | "seatsPerTable", label: string) => {
      const r = whole(label).safeParse(s[key]);
      if (!r.success) ctx.addIssue({ code: "custom", path: [key], message: r.error.issues[0]?.message ?? label });
    };
    if (s.kind === "ga") need("capacity", "Capacity");
    if (s.kind === "seated" && s.seatLabels.length === 0) {
      need("rows", "Rows");
      need("seatsPerRow", "Seats per row");
    }
    if (s.kind === "tables") {
      need("tables", "Tables");
      need("seatsPerTable", "Seats per table");
    }
  });

export type SectionValues = z.infer<typeof sectionSchema>;

const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

function validZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const venueFields = {
  displayName: z.string().trim().min(1, "Name the venue for buyers").max(200, "At most 200 characters"),
  line1: z.string().trim().min(1, "Street and number"),
  line2: z.string(),
  city: z.string().trim().min(1, "The city"),
  postalCode: z.string(),
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, "A two-letter ISO country code, e.g. GB"),
  timezone: z
    .string()
    .trim()
    .min(1, "An IANA time zone, e.g. Europe/London")
    .refine((v) => v === "" || validZone(v), "Not a time zone this browser knows, e.g. Europe/London"),
  capacity: whole("Capacity"),
  sections: z.array(sectionSchema).superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((s, i) => {
      if (seen.has(s.name))
        ctx.addIssue({ code: "custom", path: [i, "name"], message: "Another section has this name" });
      seen.add(s.name);
    });
  }),
};

export const newVenueSchema = z.object({ name: nameSchema(63), ...venueFields });
export const editVenueSchema = z.object(venueFields);

export type NewVenueValues = z.infer<typeof newVenueSchema>;
export type EditVenueValues = z.infer<typeof editVenueSchema>;

export const emptySection = (kind: SectionKind, name = ""): SectionValues => ({
  name,
  kind,
  capacity: "",
  rows: "",
  seatsPerRow: "",
  tables: "",
  seatsPerTable: "",
  seatLabels: [],
});

export const newVenueDefaults: NewVenueValues = {
  name: "",
  displayName: "",
  line1: "",
  line2: "",
  city: "",
  postalCode: "",
  country: "",
  timezone: BROWSER_ZONE,
  capacity: "",
  sections: [],
};

const num = (v: string): number | undefined => (/^\d+$/.test(v.trim()) ? Number(v) : undefined);

export function sectionInput(s: SectionValues): SectionInput {
  const name = s.name.trim();
  switch (s.kind) {
    case "ga":
      return { name, generalAdmission: { capacity: num(s.capacity) ?? 0 } };
    case "seated":
      return s.seatLabels.length
        ? { name, seated: { labels: s.seatLabels } }
        : { name, seated: { rows: num(s.rows) ?? 0, seatsPerRow: num(s.seatsPerRow) ?? 0 } };
    case "tables":
      return { name, tables: { count: num(s.tables) ?? 0, seatsPerTable: num(s.seatsPerTable) ?? 0 } };
  }
}

/** What the plan draws of the form's sections (incomplete ones drawn with what is there). */
export function planOf(sections: readonly SectionValues[]): PlanSection[] {
  return sections.map((s, i) => ({
    name: s.name.trim() || `section ${i + 1}`,
    kind: s.kind,
    capacity: num(s.capacity),
    rows: num(s.rows),
    seatsPerRow: num(s.seatsPerRow),
    seatLabels: s.seatLabels,
    tables: num(s.tables),
    seatsPerTable: num(s.seatsPerTable),
  }));
}

function addressInput(v: EditVenueValues): AddressInput {
  const line2 = v.line2.trim();
  const postalCode = v.postalCode.trim();
  return {
    line1: v.line1.trim(),
    ...(line2 ? { line2 } : {}),
    city: v.city.trim(),
    ...(postalCode ? { postalCode } : {}),
    country: v.country.trim().toUpperCase(),
  };
}

export function toCreateVenueInput(v: NewVenueValues): CreateVenueInput {
  return {
    name: v.name.trim(),
    displayName: v.displayName.trim(),
    address: addressInput(v),
    timezone: v.timezone.trim(),
    capacity: Number(v.capacity),
    ...(v.sections.length ? { sections: v.sections.map(sectionInput) } : {}),
  };
}

/** A section of the API as the form holds it. */
export interface SectionLike {
  name: string;
  generalAdmissionCapacity?: number | null;
  rows?: number | null;
  seatsPerRow?: number | null;
  seatLabels: readonly string[];
  tables?: number | null;
  seatsPerTable?: number | null;
}

export function sectionValues(s: SectionLike): SectionValues {
  const str = (n: number | null | undefined) => (n == null ? "" : String(n));
  const kind: SectionKind = s.generalAdmissionCapacity != null ? "ga" : s.tables != null ? "tables" : "seated";
  return {
    name: s.name,
    kind,
    capacity: str(s.generalAdmissionCapacity),
    rows: str(s.rows),
    seatsPerRow: str(s.seatsPerRow),
    tables: str(s.tables),
    seatsPerTable: str(s.seatsPerTable),
    seatLabels: [...s.seatLabels],
  };
}

export interface VenueLike {
  displayName: string;
  address: {
    line1: string;
    line2?: string | null;
    city: string;
    postalCode?: string | null;
    country: string;
  };
  timezone: string;
  capacity: number;
  sections: readonly SectionLike[];
}

export function editVenueDefaults(v: VenueLike): EditVenueValues {
  return {
    displayName: v.displayName,
    line1: v.address.line1,
    line2: v.address.line2 ?? "",
    city: v.address.city,
    postalCode: v.address.postalCode ?? "",
    country: v.address.country,
    timezone: v.timezone,
    capacity: String(v.capacity),
    sections: v.sections.map(sectionValues),
  };
}

const ADDRESS_KEYS = ["line1", "line2", "city", "postalCode", "country"] as const;

/**
 * Only what changed from `before`. The address goes whole when any line of
 * it changed. Sections go as the list Backstage manages: `keep(name)` says
 * whether a section is Backstage's to send (sections another manager owns
 * and that were not taken over are left out, so they stay as they are).
 */
export function toUpdateVenueInput(
  v: EditVenueValues,
  before: EditVenueValues,
  keep: (section: string) => boolean,
): UpdateVenueInput {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const out: UpdateVenueInput = {};
  if (!same(v.displayName, before.displayName)) out.displayName = v.displayName.trim();
  if (ADDRESS_KEYS.some((k) => !same(v[k], before[k]))) out.address = addressInput(v);
  if (!same(v.timezone, before.timezone)) out.timezone = v.timezone.trim();
  if (!same(v.capacity, before.capacity)) out.capacity = Number(v.capacity);
  const mine = (list: readonly SectionValues[]) => list.filter((s) => keep(s.name));
  if (!same(mine(v.sections), mine(before.sections))) out.sections = mine(v.sections).map(sectionInput);
  return out;
}

/** Where the API's paths land in the venue forms. */
export const VENUE_FIELDS = {
  "metadata.name": "name",
  "spec.displayName": "displayName",
  "spec.address": "line1",
  "spec.address.line1": "line1",
  "spec.address.line2": "line2",
  "spec.address.city": "city",
  "spec.address.postalCode": "postalCode",
  "spec.address.country": "country",
  "spec.timezone": "timezone",
  "spec.capacity": "capacity",
  "spec.sections": "sections",
} as const;
