/**
 * The organization a page works in and the caller's role there: given by
 * the shell to every page below it, so no page asks for it again.
 */
import { createContext, useContext } from "react";
import type { Role } from "../gql/graphql";

export interface Org {
  namespace: string;
  name: string;
  displayName: string;
  role: Role;
}

export interface Viewer {
  login: string;
  email: string | null;
  superUser: boolean;
  organizations: Org[];
}

export const OrgContext = createContext<Org | null>(null);
export const ViewerContext = createContext<Viewer | null>(null);

/** The current organization (pages render only inside one). */
export function useOrg(): Org {
  const org = useContext(OrgContext);
  if (!org) throw new Error("useOrg outside an organization's page");
  return org;
}

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error("useViewer outside a signed-in Backstage");
  return viewer;
}

/**
 * The caller's organization `namespace`: their membership, or for platform
 * staff any namespace (as SUPER_USER). Null when they have no role there.
 */
export function orgOf(viewer: Viewer, namespace: string): Org | null {
  const member = viewer.organizations.find((o) => o.namespace === namespace);
  if (member) return viewer.superUser ? { ...member, role: "SUPER_USER" } : member;
  if (viewer.superUser) return { namespace, name: namespace, displayName: namespace, role: "SUPER_USER" };
  return null;
}
