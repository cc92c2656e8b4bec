/**
 * CSV export: asks `exportLink` for a short-lived download link, then
 * offers it as a download (the link works without credentials for a few
 * minutes, so it is fetched only when asked for and not kept).
 */
import { Anchor, Button, Group, Text } from "@mantine/core";
import { useState } from "react";
import { useClient } from "urql";
import { dataOf } from "../../api/errors";
import type { ExportKind } from "../gql/graphql";
import { BackstageExportLinkQuery } from "../features/orders/api";
import { dateTime, messageOf } from "./format";

const WHAT: Record<ExportKind, string> = { ORDERS: "orders", CUSTOMERS: "customers", CHECK_INS: "check-ins" };

export function ExportButton({ ns, event, kind }: { ns: string; event: string | null; kind: ExportKind }) {
  const client = useClient();
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const ask = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const d = dataOf(
        await client
          .query(BackstageExportLinkQuery, { organization: ns, event, kind }, { requestPolicy: "network-only" })
          .toPromise(),
      );
      setLink({ url: d.exportLink.url, expiresAt: d.exportLink.expiresAt });
    } catch (e) {
      setProblem(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const file = `${event ?? ns}-${WHAT[kind]}.csv`;
  return (
    <Group gap="sm" align="center">
      <Button variant="default" onClick={() => void ask()} loading={busy} data-testid={`export-${WHAT[kind]}`}>
        Export {WHAT[kind]} as CSV
      </Button>
      {link && (
        <Text size="sm">
          <Anchor href={link.url} download={file} data-testid="export-download">
            Download {file}
          </Anchor>{" "}
          (link works until {dateTime(link.expiresAt)})
        </Text>
      )}
      {problem && (
        <Text size="sm" c="red.8" role="alert">
          Export refused: {problem}
        </Text>
      )}
    </Group>
  );
}
