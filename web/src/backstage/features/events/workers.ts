/**
 * The scaling of an event's workers as the Backstage form edits it: text
 * inputs checked against the organization's replica limit (platform staff
 * set it; the gateway refuses more), then only the parts that changed sent
 * as `updateEvent(input: {workers})`. The API server checks the same
 * ranges again with its CEL rules.
 */

/** One worker set's range as the API reads it. */
export interface Range {
  minReplicas: number;
  maxReplicas: number;
  prewarmReplicas?: number | null;
}

/** The event's `workers` as the API reads it. */
export interface WorkersLike {
  checkout: Range;
  scan: Range;
  prewarmLeadSeconds: number;
  replicaLimit: number;
}

/** One worker set's inputs; an empty pre-warm means "as minReplicas". */
export interface RangeValues {
  min: string;
  max: string;
  prewarm: string;
}

export interface WorkersValues {
  checkout: RangeValues;
  scan: RangeValues;
  /** The pre-warm lead in minutes. */
  leadMinutes: string;
}

/** What `updateEvent` takes. */
export interface WorkersInput {
  checkout?: { minReplicas: number; maxReplicas: number; prewarmReplicas: number | null };
  scan?: { minReplicas: number; maxReplicas: number; prewarmReplicas: number | null };
  prewarmLeadSeconds?: number;
}

export const SETS = ["checkout", "scan"] as const;
export type WorkerSetName = (typeof SETS)[number];

/** Longest pre-warm lead the Event resource takes: a day. */
export const MAX_LEAD_MINUTES = 1440;

const rangeValues = (r: Range): RangeValues => ({
  min: String(r.minReplicas),
  max: String(r.maxReplicas),
  prewarm: r.prewarmReplicas == null ? "" : String(r.prewarmReplicas),
});

export function workersDefaults(w: WorkersLike): WorkersValues {
  return {
    checkout: rangeValues(w.checkout),
    scan: rangeValues(w.scan),
    leadMinutes: String(Math.round(w.prewarmLeadSeconds / 60)),
  };
}

const sameRange = (a: RangeValues, b: RangeValues) =>
  Number(a.min) === Number(b.min) && Number(a.max) === Number(b.max) && a.prewarm.trim() === b.prewarm.trim();

const whole = (s: string): number | null => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : null);

/**
 * What to fix, by input (`checkout.min`, `scan.prewarm`, `leadMinutes`);
 * empty when the values can be sent. With `before`, only the parts changed
 * are checked: a set scaled beyond the limit with kubectl or GitOps (which
 * the limit does not bind) does not stop a change of the other.
 */
export function workersErrors(v: WorkersValues, limit: number, before?: WorkersValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const set of SETS) {
    const r = v[set];
    if (before && sameRange(r, before[set])) continue;
    const min = whole(r.min);
    const max = whole(r.max);
    const prewarm = r.prewarm.trim() === "" ? null : whole(r.prewarm);
    const count = (key: string, n: number | null) => {
      if (n === null) errors[`${set}.${key}`] = `Type a whole number of replicas, e.g. ${key === "max" ? 4 : 1}`;
      else if (n > limit)
        errors[`${set}.${key}`] = `At most ${limit}: your organization's limit (platform staff can raise it)`;
      else if (key === "max" && n < 1) errors[`${set}.${key}`] = "At least 1";
    };
    count("min", min);
    count("max", max);
    if (r.prewarm.trim() !== "") count("prewarm", prewarm);
    if (min !== null && max !== null && min > max && !errors[`${set}.min`])
      errors[`${set}.min`] = "The fewest may not be more than the most";
    if (
      prewarm !== null &&
      min !== null &&
      max !== null &&
      (prewarm < min || prewarm > max) &&
      !errors[`${set}.prewarm`]
    )
      errors[`${set}.prewarm`] = `Between the fewest and the most (${min} to ${max}), or empty for the fewest`;
  }
  if (before && v.leadMinutes.trim() === before.leadMinutes.trim()) return errors;
  const lead = whole(v.leadMinutes);
  if (lead === null) errors.leadMinutes = "Type a whole number of minutes, e.g. 15";
  else if (lead > MAX_LEAD_MINUTES) errors.leadMinutes = `At most ${MAX_LEAD_MINUTES} minutes (a day)`;
  return errors;
}

/** The parts of `v` that differ from `before` (valid values only: check {@link workersErrors} first). */
export function toWorkersInput(v: WorkersValues, before: WorkersValues): WorkersInput {
  const input: WorkersInput = {};
  for (const set of SETS) {
    if (sameRange(v[set], before[set])) continue;
    const r = v[set];
    input[set] = {
      minReplicas: Number(r.min),
      maxReplicas: Number(r.max),
      prewarmReplicas: r.prewarm.trim() === "" ? null : Number(r.prewarm),
    };
  }
  if (Number(v.leadMinutes) !== Number(before.leadMinutes)) input.prewarmLeadSeconds = Number(v.leadMinutes) * 60;
  return input;
}

/** API paths of the form's parts, for placing the API server's refusals. */
export const WORKERS_FIELDS = {
  "spec.workers.checkout": "checkout",
  "spec.workers.scan": "scan",
  "spec.workers.prewarmLeadSeconds": "leadMinutes",
  "spec.workers": "workers",
} as const;
