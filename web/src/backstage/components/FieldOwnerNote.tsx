/**
 * Fields another field manager owns (GitOps, kubectl): read-only with a
 * note naming the manager, and a "Take over from …" checkbox that makes
 * them editable and sends the next save with `force: true`. A promoter
 * never overwrites GitOps without saying so.
 */
import { Checkbox } from "@mantine/core";
import { useCallback, useState, type ReactNode } from "react";
import { listOf, otherManagers, type FieldOwnerEntry } from "./fieldOwners";

export interface Owned {
  /** Other managers own it and it is not taken over: show it read-only. */
  readOnly: boolean;
  /** The managers other than the gateway (empty: Backstage's own field). */
  managers: string[];
  /** For the input's description: "Managed by …" (null when Backstage owns it). */
  note: ReactNode;
  /** The take-over checkbox (null when Backstage owns it). */
  control: ReactNode;
}

/**
 * The ownership of a form's fields: `own(name, path)` for each input,
 * where `name` names it in test ids (`owner-<name>`, `takeover-<name>`)
 * and `path` is its spec path (`.spec.title`). `force` is whether any
 * field was taken over (the next save must be forced).
 */
export function useOwnedFields(owners: readonly FieldOwnerEntry[]) {
  const [taken, setTaken] = useState<ReadonlySet<string>>(new Set());
  const setTakenOver = useCallback((name: string, on: boolean) => {
    setTaken((prev) => {
      const next = new Set(prev);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });
  }, []);
  const own = (name: string, path: string): Owned => {
    const managers = otherManagers(owners, path);
    if (managers.length === 0) return { readOnly: false, managers, note: null, control: null };
    const who = listOf(managers);
    const takenOver = taken.has(name);
    return {
      readOnly: !takenOver,
      managers,
      note: (
        <span data-testid={`owner-${name}`} className="owner-note">
          {takenOver
            ? `Managed by ${who}: you are taking it over. Saving sets it here, and ${who} will see a difference.`
            : `Managed by ${who}. Change it there, or take it over.`}
        </span>
      ),
      control: (
        <Checkbox
          mt={4}
          size="sm"
          label={`Take over from ${who}`}
          checked={takenOver}
          onChange={(e) => setTakenOver(name, e.currentTarget.checked)}
          data-testid={`takeover-${name}`}
        />
      ),
    };
  };
  return { own, force: taken.size > 0, taken, reset: () => setTaken(new Set()) };
}
