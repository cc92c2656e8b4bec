/**
 * The gateway's refusals of a write, taken apart for a form: INVALID
 * carries `extensions.causes` (`{field, message}`, field like
 * `spec.days[0]` or `spec`), CONFLICT carries `extensions.conflicts`
 * (`{field, manager}`). Each goes to the form field it concerns; the rest
 * to a form-level alert.
 */
import { ApiError } from "../../api/errors";
import { normalizePath, type FieldConflict } from "./fieldOwners";

/** One reason the API server gave for refusing an object. */
export interface Cause {
  field: string;
  message: string;
  reason?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

/** The `extensions.causes` of an INVALID error (empty for anything else). */
export function causesOf(error: unknown): Cause[] {
  if (!(error instanceof ApiError)) return [];
  const raw = error.extensions.causes;
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).map((c) => ({
    field: typeof c.field === "string" ? c.field : "",
    message: typeof c.message === "string" ? c.message : String(c.message ?? ""),
    ...(typeof c.reason === "string" ? { reason: c.reason } : {}),
  }));
}

/** The `extensions.conflicts` of a CONFLICT error (empty for anything else). */
export function conflictsOf(error: unknown): FieldConflict[] {
  if (!(error instanceof ApiError) || error.code !== "CONFLICT") return [];
  const raw = error.extensions.conflicts;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter(isRecord)
    .filter((c) => typeof c.manager === "string")
    .map((c) => ({ field: typeof c.field === "string" ? c.field : "", manager: String(c.manager) }));
}

/** Where in a form an API path lands: a form field, and for list items their index. */
export interface Place<F extends string> {
  field: F;
  index?: number;
}

/**
 * The form field of API path `path` (`spec.days[1].startsAt`): the longest
 * key of `table` (`spec.days`) that the path is, or lies below. For a path
 * into a list item the item's index comes with it.
 */
export function placeOf<F extends string>(path: string, table: Readonly<Record<string, F>>): Place<F> | undefined {
  const p = normalizePath(path);
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    const k = normalizePath(key);
    const under = p === k || p.startsWith(`${k}.`) || p.startsWith(`${k}[`);
    if (under && (best === undefined || k.length > normalizePath(best).length)) best = key;
  }
  if (best === undefined) return undefined;
  const field = table[best] as F;
  const index = /^\[(\d+)\]/.exec(p.slice(normalizePath(best).length))?.[1];
  return index === undefined ? { field } : { field, index: Number(index) };
}

/** Causes sorted by the form field they concern; `rest`: those of no field (or an unknown one). */
export interface PlacedCauses<F extends string> {
  fields: { place: Place<F>; message: string }[];
  rest: string[];
}

export function placeCauses<F extends string>(
  causes: readonly Cause[],
  table: Readonly<Record<string, F>>,
): PlacedCauses<F> {
  const out: PlacedCauses<F> = { fields: [], rest: [] };
  for (const c of causes) {
    const place = c.field ? placeOf(c.field, table) : undefined;
    if (place) out.fields.push({ place, message: c.message });
    else out.rest.push(c.field && c.field !== "spec" ? `${c.field}: ${c.message}` : c.message);
  }
  return out;
}

/** What to tell the promoter of any failed operation: the gateway's whole message. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.network) return `Sellout did not answer (${error.message}). Check the connection and try again.`;
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The message a field shows when `managers` own it and a save touched it. */
export function conflictMessage(managers: readonly string[]): string {
  const who = managers.join(", ");
  return `Managed by ${who}: not saved. Change it where ${who} manages it (e.g. in Git), or tick "Take over from ${who}" and save again.`;
}

/**
 * A refused save as the form shows it: messages by form field key (`title`,
 * `days.0`), and the rest for an alert above the submit button. INVALID
 * causes and CONFLICT conflicts are placed on their fields; any other error
 * is one form-level message.
 */
export interface FormErrors {
  fields: Record<string, string>;
  rest: string[];
}

export function formErrorsOf<F extends string>(error: unknown, table: Readonly<Record<string, F>>): FormErrors {
  const out: FormErrors = { fields: {}, rest: [] };
  const add = (key: string, message: string) => {
    out.fields[key] = out.fields[key] ? `${out.fields[key]} ${message}` : message;
  };
  const keyOf = (p: Place<F>) => (p.index === undefined ? p.field : `${p.field}.${p.index}`);
  const conflicts = conflictsOf(error);
  if (conflicts.length) {
    const byKey = new Map<string, string[]>();
    for (const c of conflicts) {
      const place = c.field ? placeOf(c.field, table) : undefined;
      if (!place) continue;
      const list = byKey.get(keyOf(place)) ?? [];
      if (!list.includes(c.manager)) list.push(c.manager);
      byKey.set(keyOf(place), list);
    }
    for (const [key, managers] of byKey) add(key, conflictMessage(managers));
    if (byKey.size === 0 || conflicts.some((c) => !c.field || !placeOf(c.field, table)))
      out.rest.push(messageOf(error));
    return out;
  }
  // A create that met an object of the same name: the name field's problem.
  const nameField = Object.entries(table).find(([k]) => normalizePath(k) === "metadata.name")?.[1];
  if (error instanceof ApiError && error.code === "CONFLICT" && nameField && /already exists/.test(error.message)) {
    add(nameField, error.message);
    return out;
  }
  const causes = causesOf(error);
  if (causes.length) {
    const placed = placeCauses(causes, table);
    for (const f of placed.fields) add(keyOf(f.place), f.message);
    out.rest.push(...placed.rest);
    return out;
  }
  out.rest.push(messageOf(error));
  return out;
}
