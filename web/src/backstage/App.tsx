/**
 * Backstage: the sign-in, then (once `me` has answered, never before) the
 * organization's pages its role may open. Until the gateway has said who
 * the caller is, only a neutral loading state renders: an authorized user
 * never sees a "no permission" page, even for one frame, and one who has
 * no role gets a page that says so and what to do.
 */
import { Button, Container, Paper, Stack, Text, Title } from "@mantine/core";
import { Suspense, useEffect, type ReactNode } from "react";
import { useClient, useQuery } from "urql";
import { clearSession } from "../api/session";
import { useSession } from "../api/useSession";
import { errorCode } from "../api/errors";
import { Loading, Problem } from "../components/Status";
import { SignIn } from "../features/auth";
import { PAGES } from "./app/pages";
import { homeOf, Link, Shell } from "./app/Shell";
import { MIN_ROLE, navigate, pathOf, useRoute, type OrgRoute, type Route } from "./routes";
import { LogoutMutation, MeQuery } from "./session/api";
import { OrgContext, orgOf, ViewerContext, type Viewer } from "./session/org";
import { atLeast, ROLE_NAMES } from "./session/roles";

const SESSION_ENDED = new Set(["BAD_TOKEN", "TOKEN_EXPIRED", "UNAUTHENTICATED"]);

function Centered({ children }: { children: ReactNode }) {
  return (
    <Container size="xs" py="xl">
      {children}
    </Container>
  );
}

function SignInPage() {
  return (
    <Centered>
      <main>
        <Title order={1} size="h2" mb="sm">
          Sellout Backstage
        </Title>
        <Text mb="sm">Sign in with the e-mail address your organization added you by; we send you a code.</Text>
        <SignIn />
      </main>
    </Centered>
  );
}

/** The caller has no role here, or not enough: a page that says which and what to do. */
function NoAccess({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="lg" maw={560} data-testid="no-permission">
      <Title order={2} size="h3" mb="sm">
        {title}
      </Title>
      <Stack gap="sm">{children}</Stack>
    </Paper>
  );
}

function OrgPicker({ viewer }: { viewer: Viewer }) {
  if (viewer.organizations.length === 0)
    return (
      <NoAccess title="No organization yet">
        <Text>
          {viewer.login} is not a member of any organization. Ask an owner of yours to add this address in Backstage
          (Team), then sign in again.
        </Text>
      </NoAccess>
    );
  return (
    <Stack>
      <Title order={2}>Your organizations</Title>
      <ul className="org-list">
        {viewer.organizations.map((o) => (
          <li key={o.namespace}>
            <Link to={homeOf(o)}>{o.displayName}</Link>{" "}
            <Text span c="dimmed" size="sm">
              {ROLE_NAMES[o.role]}
            </Text>
          </li>
        ))}
      </ul>
    </Stack>
  );
}

function NotBuilt({ route }: { route: OrgRoute }) {
  return (
    <Problem title="Not in Backstage yet">
      The {route.name} page is not built yet; the GraphQL API (GraphiQL at /graphql) has everything it would show.
    </Problem>
  );
}

function OrgPage({ viewer, route }: { viewer: Viewer; route: OrgRoute }) {
  const org = orgOf(viewer, route.ns);
  if (!org)
    return (
      <NoAccess title="Not your organization">
        <Text>
          {viewer.login} has no role in {route.ns}. Pick one of your organizations, or ask an owner of {route.ns} to add
          you.
        </Text>
        <Link to={pathOf({ name: "home" })}>Your organizations</Link>
      </NoAccess>
    );
  const min = MIN_ROLE[route.name];
  if (!atLeast(org.role, min))
    return (
      <NoAccess title="Not part of your role">
        <Text>
          As {ROLE_NAMES[org.role]} in {org.displayName} you cannot open this page: it needs {ROLE_NAMES[min]} or above.
        </Text>
        <Link to={homeOf(org)}>Go to your pages</Link>
      </NoAccess>
    );
  const Page = PAGES[route.name];
  return (
    <OrgContext.Provider value={org}>
      <Suspense fallback={<Loading label="Loading…" />}>
        {Page ? <Page key={JSON.stringify(route)} route={route} /> : <NotBuilt route={route} />}
      </Suspense>
    </OrgContext.Provider>
  );
}

function SignedIn() {
  const client = useClient();
  const route = useRoute();
  const [{ data, error }, refetch] = useQuery({ query: MeQuery, requestPolicy: "network-only" });
  const code = errorCode(error);
  const ended = code !== undefined && SESSION_ENDED.has(code);
  useEffect(() => {
    if (ended) clearSession();
  }, [ended]);
  const viewer: Viewer | null = data
    ? {
        ...data.me,
        email: data.me.email ?? null,
        organizations: data.me.organizations.map((o) => ({ ...o })),
      }
    : null;
  // One organization: straight to it.
  const only = viewer?.organizations.length === 1 && !viewer.superUser ? viewer.organizations[0] : undefined;
  useEffect(() => {
    if (route.name === "home" && only) navigate(homeOf(only), { replace: true });
  }, [route.name, only]);

  if (!viewer) {
    if (error && !ended)
      return (
        <Centered>
          <Problem title="Backstage cannot reach Sellout">
            {error.networkError ? "The network or the gateway did not answer." : error.message}
          </Problem>
          <Button onClick={() => refetch({ requestPolicy: "network-only" })}>Try again</Button>
        </Centered>
      );
    return (
      <Centered>
        <Loading label="Signing in…" />
      </Centered>
    );
  }
  const org = route.name === "home" || route.name === "notFound" ? null : orgOf(viewer, route.ns);
  const signOut = async () => {
    await client.mutation(LogoutMutation, {}).toPromise();
    clearSession();
  };
  return (
    <ViewerContext.Provider value={viewer}>
      <Shell viewer={viewer} org={org} route={route} onSignOut={() => void signOut()}>
        <View viewer={viewer} route={route} />
      </Shell>
    </ViewerContext.Provider>
  );
}

function View({ viewer, route }: { viewer: Viewer; route: Route }) {
  switch (route.name) {
    case "home":
      return <OrgPicker viewer={viewer} />;
    case "notFound":
      return (
        <Problem title="No such page">
          Backstage has no page at this address. <Link to={pathOf({ name: "home" })}>Your organizations</Link>
        </Problem>
      );
    default:
      return <OrgPage viewer={viewer} route={route} />;
  }
}

export function App() {
  const session = useSession();
  return session ? <SignedIn key={session.email} /> : <SignInPage />;
}
