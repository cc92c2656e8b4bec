/** Team page logic without React: which roles one may grant, who manages a member. */
import type { Role } from "../../gql/graphql";

/** Roles an OWNER may give (SUPER_USER is platform staff's alone). */
export function grantable(viewerRole: Role): Role[] {
  const all: Role[] = ["OWNER", "ADMIN", "BOX_OFFICE", "SCANNER"];
  return viewerRole === "SUPER_USER" ? ["SUPER_USER", ...all] : all;
}

export interface Owner {
  field: string;
  manager: string;
  byGateway: boolean;
}

/** The field manager other than Backstage that set this member, if any. */
export function foreignManager(owners: readonly Owner[]): string | null {
  return owners.find((o) => !o.byGateway)?.manager ?? null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What is wrong with an address typed in (null: nothing). */
export function emailProblem(email: string): string | null {
  const e = email.trim();
  if (e === "") return "Enter the member's e-mail address.";
  if (!EMAIL.test(e)) return `"${e}" is not an e-mail address: it needs a name, @ and a domain.`;
  return null;
}
