/** The organization roles, highest first, as the gateway ranks them. */
import type { Role } from "../gql/graphql";

export const ROLES: readonly Role[] = ["SUPER_USER", "OWNER", "ADMIN", "BOX_OFFICE", "SCANNER", "USER"];

/** Whether `role` is `min` or above. */
export function atLeast(role: Role | null | undefined, min: Role): boolean {
  if (!role) return false;
  return ROLES.indexOf(role) <= ROLES.indexOf(min);
}

export const ROLE_NAMES: Record<Role, string> = {
  SUPER_USER: "Platform staff",
  OWNER: "Owner",
  ADMIN: "Admin",
  BOX_OFFICE: "Box office",
  SCANNER: "Scanner",
  USER: "Buyer",
};
