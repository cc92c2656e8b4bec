/** Team page logic without React: which roles one may grant, who manages a member, who may be added. */
import type { Role } from "../../gql/graphql";
import { ROLE_NAMES, ROLES } from "../../session/roles";

/** Roles `viewerRole` may give: every role, but SUPER_USER only by platform staff (SUPER_USER). */
export function grantable(viewerRole: Role): Role[] {
  return ROLES.filter((r) => r !== "SUPER_USER" || viewerRole === "SUPER_USER");
}

/**
 * The choices of the role select of a member who has `current`: what the
 * viewer may grant, and always the role the member has now, so the select
 * shows it as it is.
 */
export function roleChoices(viewerRole: Role, current: Role): Role[] {
  const roles = grantable(viewerRole);
  return roles.includes(current) ? roles : ROLES.filter((r) => r === current || roles.includes(r));
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

export interface MemberLike {
  email: string;
  role: Role;
}

/** The member with address `email`, compared trimmed and in any case (as the gateway matches them), if any. */
export function memberWith<M extends MemberLike>(members: readonly M[], email: string): M | undefined {
  const e = email.trim().toLowerCase();
  return members.find((m) => m.email.toLowerCase() === e);
}

/**
 * Why `email` cannot be added to `members` (null: it can). Adding an
 * address already there would change that member's role, which is done in
 * the list, with its own confirmation.
 */
export function addProblem(members: readonly MemberLike[], email: string): string | null {
  const bad = emailProblem(email);
  if (bad) return bad;
  const m = memberWith(members, email);
  return m ? `${m.email} is already a member as ${ROLE_NAMES[m.role]}; change their role in the list.` : null;
}
