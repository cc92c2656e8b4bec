import { Anchor, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient, useQuery } from "urql";
import { toApiError } from "../../api/errors";
import { useSession } from "../../api/useSession";
import { Loading, Problem } from "../../components/Status";
import type { MyOrdersQuery as MyOrdersData } from "../../gql/graphql";
import { useFormat } from "../../i18n";
import { navigate, pathOf } from "../../routes";
import { SignIn } from "../auth";
import { MyOrdersQuery, ResendTicketsMutation } from "./api";

type OrderItem = MyOrdersData["myOrders"]["nodes"][number];

const PAGE = 20;

/** The signed-in buyer's orders, newest first, each with "resend tickets". */
export function MyOrdersPage({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const session = useSession();
  useEffect(() => {
    document.title = `${t("orders.mine")} · ${t("common.appName")}`;
  }, [t]);
  return (
    <Stack gap="sm" py="md">
      <Title order={1} size="h2">
        {t("orders.mine")}
      </Title>
      {session ? <OrderList key={session.email} slug={slug} /> : <SignIn intro={t("auth.signInToSee")} />}
      <Anchor
        href={pathOf({ name: "event", slug })}
        onClick={(e) => {
          e.preventDefault();
          navigate(pathOf({ name: "event", slug }));
        }}
      >
        {t("orders.backToEvent")}
      </Anchor>
    </Stack>
  );
}

function OrderList({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const [pages, setPages] = useState<(string | null)[]>([null]);
  return (
    <Stack gap="sm">
      {pages.map((after, i) => (
        <OrderPage
          key={after ?? "first"}
          slug={slug}
          after={after}
          last={i === pages.length - 1}
          onMore={(cursor) => setPages((p) => [...p, cursor])}
        />
      ))}
      {pages.length === 0 && <Text>{t("orders.none")}</Text>}
    </Stack>
  );
}

function OrderPage({
  slug,
  after,
  last,
  onMore,
}: {
  slug: string;
  after: string | null;
  last: boolean;
  onMore: (cursor: string) => void;
}) {
  const { t } = useTranslation();
  const [{ data, error }] = useQuery({
    query: MyOrdersQuery,
    variables: { first: PAGE, after },
    requestPolicy: "network-only",
  });
  if (error && !data) return <Problem>{toApiError(error).network ? t("common.networkError") : error.message}</Problem>;
  if (!data) return <Loading label={t("common.loading")} />;
  const { nodes, pageInfo } = data.myOrders;
  if (!nodes.length && after === null) return <Text>{t("orders.none")}</Text>;
  return (
    <>
      <ul className="order-list" aria-label={t("orders.mine")}>
        {nodes.map((o) => (
          <OrderRow key={o.id} order={o} fallbackSlug={slug} />
        ))}
      </ul>
      {last && pageInfo.hasNextPage && pageInfo.endCursor && (
        <div>
          <Button variant="outline" onClick={() => onMore(pageInfo.endCursor as string)}>
            {t("orders.more")}
          </Button>
        </div>
      )}
    </>
  );
}

function OrderRow({ order, fallbackSlug }: { order: OrderItem; fallbackSlug: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const client = useClient();
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const slug = order.event ?? fallbackSlug;
  const path = pathOf({ name: "order", slug, orderId: String(order.id) });

  const resend = async () => {
    setBusy(true);
    setNote(null);
    const result = await client.mutation(ResendTicketsMutation, { orderId: order.id }).toPromise();
    setBusy(false);
    if (result.data)
      setNote({ text: t("orders.resent", { email: result.data.resendTickets.buyer.email }), error: false });
    else if (result.error)
      setNote({ text: t("orders.resendFailed", { message: toApiError(result.error).message }), error: true });
  };

  return (
    <li>
      <Paper withBorder p="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Anchor
              href={path}
              fw={700}
              onClick={(e) => {
                e.preventDefault();
                navigate(path);
              }}
            >
              {t("orders.view", { number: order.number })}
            </Anchor>
            <Text size="sm">{order.lines.map((l) => `${l.quantity} × ${l.description}`).join(", ")}</Text>
            <Text size="sm">{t("orders.placed", { date: f.date(order.placedAtMs) })}</Text>
            <Text size="sm">{t(`orders.states.${order.state}`, { defaultValue: order.state })}</Text>
          </div>
          <Stack gap={4} align="flex-end">
            <Text fw={700} className="money">
              {f.money(order.totalMinor, order.currency)}
            </Text>
            {order.state === "COMPLETED" && (
              <Button variant="outline" size="xs" loading={busy} onClick={() => void resend()}>
                {t("orders.resend")}
              </Button>
            )}
          </Stack>
        </Group>
        {note && (
          <Text role={note.error ? "alert" : "status"} mt="xs" c={note.error ? "red.9" : undefined}>
            {note.text}
          </Text>
        )}
      </Paper>
    </li>
  );
}
