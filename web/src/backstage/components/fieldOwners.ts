/**
 * Who owns a resource's spec fields (Server-Side Apply field managers) and
 * what that means for a Backstage form: a field set by another manager
 * (GitOps, kubectl) is shown read-only until the promoter takes it over,
 * and a save that touches it without `force` is refused with CONFLICT.
 */

/** One `fieldOwners` entry as the gateway reports it. */
export interface FieldOwnerEntry {
  /** The API server's path, e.g. `.spec.title` or `.spec.sections[name="floor"].seated.rows`. */
  field: string;
  manager: string;
  byGateway: boolean;
}

/** One `extensions.conflicts` entry of a CONFLICT error. */
export interface FieldConflict {
  field: string;
  manager: string;
}

/** Without a leading dot: `.spec.title` and `spec.title` are the same path. */
export function normalizePath(path: string): string {
  return path.startsWith(".") ? path.slice(1) : path;
}

/** Whether `field` is `path` itself or lies below it (`path.x`, `path[…]`). */
export function isUnder(field: string, path: string): boolean {
  const f = normalizePath(field);
  const p = normalizePath(path);
  return f === p || f.startsWith(`${p}.`) || f.startsWith(`${p}[`);
}

/**
 * The managers other than the gateway that own `path` or any field below
 * it, each once, in the order reported. Empty: Backstage may edit it freely.
 */
export function otherManagers(owners: readonly FieldOwnerEntry[], path: string): string[] {
  const out: string[] = [];
  for (const o of owners) if (!o.byGateway && isUnder(o.field, path) && !out.includes(o.manager)) out.push(o.manager);
  return out;
}

/**
 * The managers a CONFLICT names for `path`: conflicts on the field or below
 * it, and conflicts on a parent of it (a whole `.spec`, a whole list).
 */
export function conflictingManagers(conflicts: readonly FieldConflict[], path: string): string[] {
  const out: string[] = [];
  for (const c of conflicts)
    if ((isUnder(c.field, path) || (c.field !== "" && isUnder(path, c.field))) && !out.includes(c.manager))
      out.push(c.manager);
  return out;
}

/** "a", "a and b", "a, b and c". */
export function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
