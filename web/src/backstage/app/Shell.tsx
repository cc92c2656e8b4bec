/**
 * The frame around every organization page: the organization switcher,
 * navigation limited to what the caller's role may do, and sign-out.
 */
import { AppShell, Burger, Group, NativeSelect, NavLink, Text, Title, Button } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import type { ReactNode } from "react";
import { atLeast, ROLE_NAMES } from "../session/roles";
import type { Org, Viewer } from "../session/org";
import { MIN_ROLE, navigate, pathOf, type OrgRoute, type Route } from "../routes";

/** The pages that need nothing but the organization (what navigation links to). */
type Section = Exclude<OrgRoute["name"], "event" | "venue" | "order">;

interface NavItem {
  label: string;
  to: Section;
  /** The other routes under this item (highlighted with it). */
  also?: OrgRoute["name"][];
}

export const NAV: NavItem[] = [
  { label: "Events", to: "events", also: ["newEvent", "event"] },
  { label: "Venues", to: "venues", also: ["newVenue", "venue"] },
  { label: "Orders", to: "orders", also: ["order"] },
  { label: "Box office", to: "boxOffice" },
  { label: "Customers", to: "customers" },
  { label: "Refunds", to: "refunds" },
  { label: "Analytics", to: "analytics" },
  { label: "Door", to: "door" },
  { label: "Team", to: "team" },
  { label: "Publish", to: "publish" },
];

/** The pages `org`'s role may open, in navigation order. */
export function navFor(org: Org): NavItem[] {
  return NAV.filter((n) => atLeast(org.role, MIN_ROLE[n.to]));
}

/** Where an organization opens: its first page the role may see. */
export function homeOf(org: Org): string {
  const first = navFor(org)[0];
  return first ? pathOf({ name: first.to, ns: org.namespace } as OrgRoute) : pathOf({ name: "home" });
}

function go(path: string) {
  return (e: React.MouseEvent) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(path);
  };
}

/** An in-app link: a real `<a href>` (new tab works) that navigates without a reload. */
export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  return (
    <a href={to} onClick={go(to)} className={className}>
      {children}
    </a>
  );
}

export function Shell({
  viewer,
  org,
  route,
  onSignOut,
  children,
}: {
  viewer: Viewer;
  org: Org | null;
  route: Route;
  onSignOut: () => void;
  children: ReactNode;
}) {
  const [opened, { toggle, close }] = useDisclosure();
  const items = org ? navFor(org) : [];
  const orgs = viewer.organizations;
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened, desktop: !org } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            {org && <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />}
            <Title order={1} size="h4">
              <Link to={pathOf({ name: "home" })} className="brand">
                Sellout Backstage
              </Link>
            </Title>
            {org && orgs.length > 1 && (
              <NativeSelect
                aria-label="Organization"
                size="xs"
                value={org.namespace}
                onChange={(e) => {
                  const next = orgs.find((o) => o.namespace === e.currentTarget.value);
                  if (next) navigate(homeOf(next));
                }}
                data={orgs.map((o) => ({ value: o.namespace, label: o.displayName }))}
              />
            )}
            {org && orgs.length <= 1 && (
              <Text size="sm" fw={500} visibleFrom="xs">
                {org.displayName}
              </Text>
            )}
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="sm" data-testid="signed-in-as">
              {viewer.login}
              {org ? ` · ${ROLE_NAMES[org.role]}` : ""}
            </Text>
            <Button variant="subtle" size="compact-sm" onClick={onSignOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      {org && (
        <AppShell.Navbar p="xs" aria-label="Sections">
          {items.map((item) => {
            const to = pathOf({ name: item.to, ns: org.namespace } as OrgRoute);
            const active = route.name === item.to || (item.also ?? []).includes(route.name as OrgRoute["name"]);
            return (
              <NavLink
                key={item.to}
                component="a"
                href={to}
                label={item.label}
                active={active}
                aria-current={active ? "page" : undefined}
                onClick={(e: React.MouseEvent) => {
                  close();
                  go(to)(e);
                }}
              />
            );
          })}
        </AppShell.Navbar>
      )}
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
