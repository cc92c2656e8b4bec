import { Button, CloseButton, Container, Group, NativeSelect, Text } from "@mantine/core";
import { Suspense, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useSession } from "./api/useSession";
import { clearSession } from "./api/session";
import { embedded, postToHost, useEscapeCloses, useHostResize } from "./embed/frame";
import { PortalAnalytics } from "./features/analytics";
import { EventPage } from "./features/event";
import { ConfirmationPage, MyOrdersPage } from "./features/orders";
import { LANGUAGES } from "./i18n";
import { Loading, Problem } from "./components/Status";
import { navigate, pathOf, useRoute, type Route } from "./routes";

const LANGUAGE_NAMES: Record<string, string> = { en: "English", de: "Deutsch" };

function Header({ route }: { route: Route }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const slug = route.name === "notFound" ? null : route.slug;
  return (
    <header className="portal-header">
      <Group gap="md" wrap="wrap">
        {slug && route.name !== "orders" && (
          <Button
            component="a"
            variant="subtle"
            href={pathOf({ name: "orders", slug })}
            onClick={(e) => {
              e.preventDefault();
              navigate(pathOf({ name: "orders", slug }));
            }}
          >
            {t("event.myOrders")}
          </Button>
        )}
        {session && (
          <Group gap="xs">
            <Text size="sm">{t("auth.signedInAs", { email: session.email })}</Text>
            <Button variant="subtle" size="compact-sm" onClick={clearSession}>
              {t("auth.signOut")}
            </Button>
          </Group>
        )}
      </Group>
      <Group gap="sm">
        <NativeSelect
          className="lang-select"
          size="xs"
          label={t("common.language")}
          value={i18n.language}
          onChange={(e) => void i18n.changeLanguage(e.currentTarget.value)}
          data={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] ?? l }))}
        />
        {embedded && (
          <CloseButton size="lg" aria-label={t("common.close")} onClick={() => postToHost({ type: "sellout:close" })} />
        )}
      </Group>
    </header>
  );
}

function View({ route }: { route: Route }): ReactNode {
  const { t } = useTranslation();
  switch (route.name) {
    case "event":
      return <EventPage key={route.slug} slug={route.slug} />;
    case "orders":
      return <MyOrdersPage slug={route.slug} />;
    case "order":
      return <ConfirmationPage key={route.orderId} slug={route.slug} orderId={route.orderId} />;
    case "notFound":
      return <Problem>{t("common.notFound")}</Problem>;
  }
}

export function App() {
  const route = useRoute();
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useHostResize(ref);
  useEscapeCloses();
  return (
    <div ref={ref}>
      <Container size="sm" px="md">
        <Header route={route} />
        {route.name !== "notFound" && <PortalAnalytics slug={route.slug} path={pathOf(route)} />}
        <main>
          <Suspense fallback={<Loading label={t("common.loading")} />}>
            <View route={route} />
          </Suspense>
        </main>
      </Container>
    </div>
  );
}
