/**
 * Publish to a marketing site: the organization's public JSON feed of
 * published events (for a Webflow CMS collection or any static site), and
 * beside each event the embed button markup that opens the purchase
 * portal over the promoter's own page. The feed's address is the
 * gateway's public one (`portalConfig.publicUrl`), where its links point
 * too, and the list shown is read from that address, so it proves the
 * address works.
 */
import { Anchor, Button, Code, CopyButton, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useEffect, useState } from "react";
import { useQuery } from "urql";
import { Loading, Problem } from "../../../components/Status";
import { useOrg } from "../../session/org";
import { BackstagePublicUrlQuery } from "./api";
import { feedUrl, loadFeed, snippetOf, type Feed } from "./feed";

export default function PublishPage() {
  const org = useOrg();
  const [{ data: config, error: configError }] = useQuery({ query: BackstagePublicUrlQuery });
  const url = config ? feedUrl(config.portalConfig.publicUrl, org.namespace) : null;
  const [feed, setFeed] = useState<Feed | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (!url) return;
    let live = true;
    loadFeed(url).then(
      (f) => live && setFeed(f),
      (e: unknown) => live && setProblem(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [url]);
  return (
    <Stack>
      <Title order={2}>Publish</Title>
      <Paper withBorder p="md">
        <Title order={3} size="h4" mb="xs">
          Events feed
        </Title>
        <Text mb="xs">
          Your published events as JSON, refreshed every minute: point a Webflow CMS collection or your site&apos;s
          build at it.
        </Text>
        {url && (
          <Stack gap="xs" align="flex-start">
            <Code data-testid="feed-url">{url}</Code>
            <CopyButton value={url}>
              {({ copied, copy }) => (
                <Button size="compact-sm" variant="light" onClick={copy}>
                  {copied ? "Copied" : "Copy the feed's address"}
                </Button>
              )}
            </CopyButton>
          </Stack>
        )}
      </Paper>
      {configError && <Problem title="The feed's address is not known">{configError.message}</Problem>}
      {problem && <Problem title={`The feed at ${url ?? "its address"} could not be read`}>{problem}</Problem>}
      {!feed && !problem && !configError && <Loading label="Loading the feed…" />}
      {feed && feed.events.length === 0 && (
        <Text>No published events yet: publish one and it appears here and in the feed.</Text>
      )}
      {feed && feed.events.length > 0 && (
        <Table aria-label="Published events and their embed buttons">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Event</Table.Th>
              <Table.Th>Embed button (paste on your page)</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {feed.events.map((e) => (
              <Table.Tr key={e.slug} data-testid="feed-event">
                <Table.Td>
                  <Anchor href={e.portalUrl} target="_blank" rel="noreferrer">
                    {e.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Stack gap={4} align="flex-start">
                    <Code block data-testid="embed-snippet">
                      {snippetOf(e)}
                    </Code>
                    <CopyButton value={snippetOf(e)}>
                      {({ copied, copy }) => (
                        <Button size="compact-sm" variant="light" onClick={copy}>
                          {copied ? "Copied" : `Copy the embed code of ${e.title}`}
                        </Button>
                      )}
                    </CopyButton>
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
