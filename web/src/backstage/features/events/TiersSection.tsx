/**
 * The event's ticket tiers (hidden and promo-code ones too) with what is
 * sold and held, Delete for a tier that has sold nothing, and the form to
 * add one. A tier GitOps also manages is only deleted when told to.
 */
import { Badge, Button, Group, Modal, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useClient } from "urql";
import { dataOf } from "../../../api/errors";
import { Problem } from "../../../components/Status";
import type { TierKind, Visibility } from "../../gql/graphql";
import { conflictsOf, messageOf } from "../../components/apiProblems";
import { listOf, otherManagers, type FieldOwnerEntry } from "../../components/fieldOwners";
import { useOrg } from "../../session/org";
import { DeleteTierMutation } from "./api";
import { formatMinor } from "./money";
import { KIND_LABELS, VISIBILITY_LABELS } from "./tierSchema";
import { TierEditForm } from "./TierEditForm";
import { TierForm } from "./TierForm";

export interface TierRow {
  name: string;
  displayName: string;
  kind: TierKind;
  priceMinor: number;
  currency: string;
  quantity: number;
  perOrder: { min: number; max: number };
  section?: string | null;
  tableSeats?: number | null;
  visibility: Visibility;
  status: { sold?: number | null; held?: number | null; available?: number | null };
  fieldOwners: FieldOwnerEntry[];
}

export function TiersSection({
  event,
  currency,
  tiers,
  sections,
  onChanged,
}: {
  event: string;
  currency: string;
  tiers: readonly TierRow[];
  sections: readonly string[];
  onChanged: (message: string) => void;
}) {
  const org = useOrg();
  const client = useClient();
  const [deleting, setDeleting] = useState<TierRow | null>(null);
  const [editing, setEditing] = useState<TierRow | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ tier: string; message: string; owners: string[] } | null>(null);

  const remove = async (tier: TierRow, force: boolean) => {
    setBusy(true);
    setProblem(null);
    try {
      const deleted = dataOf(
        await client.mutation(DeleteTierMutation, { ns: org.namespace, name: tier.name, force }).toPromise(),
      ).deleteTicketTier;
      onChanged(
        deleted ? `Tier ${tier.displayName} deleted.` : `Tier ${tier.displayName} has sales, so it was hidden.`,
      );
    } catch (e) {
      setProblem({ tier: tier.name, message: messageOf(e), owners: conflictsOf(e).map((c) => c.manager) });
    } finally {
      setBusy(false);
      setDeleting(null);
    }
  };

  return (
    <Stack gap="md" component="section" aria-labelledby="tiers-heading">
      <Title order={3} id="tiers-heading">
        Ticket tiers
      </Title>
      {tiers.length === 0 ? (
        <Text data-testid="tiers-empty">No tiers yet: add one below so there is something to sell.</Text>
      ) : (
        <Table striped data-testid="tiers-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Tier</Table.Th>
              <Table.Th scope="col">Kind</Table.Th>
              <Table.Th scope="col">Price</Table.Th>
              <Table.Th scope="col">Quantity</Table.Th>
              <Table.Th scope="col">Sold / in carts / left</Table.Th>
              <Table.Th scope="col">Visibility</Table.Th>
              <Table.Th scope="col">
                <span className="visually-hidden">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tiers.map((t) => {
              const owners = otherManagers(t.fieldOwners, ".spec");
              return (
                <Table.Tr key={t.name} data-testid={`tier-row-${t.name}`}>
                  <Table.Td>
                    <Text fw={500}>{t.displayName}</Text>
                    <Text size="xs">
                      {t.name}
                      {t.section ? ` · section ${t.section}` : ""}
                      {t.tableSeats ? ` · tables of ${t.tableSeats}` : ""}
                    </Text>
                    {owners.length > 0 && (
                      <Text size="xs" data-testid={`tier-owner-${t.name}`}>
                        Managed by {listOf(owners)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{KIND_LABELS[t.kind]}</Table.Td>
                  <Table.Td data-testid={`tier-price-${t.name}`}>{formatMinor(t.priceMinor, t.currency)}</Table.Td>
                  <Table.Td>
                    {t.quantity}
                    <Text size="xs">
                      {t.perOrder.min}–{t.perOrder.max} per order
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {t.status.sold ?? "—"} / {t.status.held ?? "—"} / {t.status.available ?? "—"}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={t.visibility === "PUBLIC" ? "blue" : "gray"}>
                      {VISIBILITY_LABELS[t.visibility]}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() => setEditing(t)}
                      aria-label={`Edit tier ${t.displayName}`}
                      data-testid={`edit-tier-${t.name}`}
                    >
                      Edit
                    </Button>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => setDeleting(t)}
                      aria-label={`Delete tier ${t.displayName}`}
                      data-testid={`delete-tier-${t.name}`}
                    >
                      Delete
                    </Button>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {problem && (
        <div data-testid="tier-delete-problem">
          <Problem title="Tier not deleted">
            <Text size="sm">{problem.message}</Text>
            {problem.owners.length > 0 && (
              <Button
                mt="sm"
                size="xs"
                color="orange"
                onClick={() => {
                  const t = tiers.find((x) => x.name === problem.tier);
                  if (t) void remove(t, true);
                }}
                data-testid="tier-delete-force"
              >
                Delete anyway (take over from {listOf(problem.owners)})
              </Button>
            )}
          </Problem>
        </div>
      )}
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title="Delete this tier?" centered>
        <Stack>
          <Text>
            {deleting?.displayName}: a tier that has sold nothing is deleted; one with sales is hidden instead, so its
            tickets stay valid.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              Keep it
            </Button>
            <Button
              color="red"
              loading={busy}
              onClick={() => deleting && void remove(deleting, false)}
              data-testid="delete-tier-confirm"
            >
              Delete tier
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing ? `Edit ${editing.displayName}` : "Edit tier"}
        centered
        size="lg"
      >
        {editing && (
          <TierEditForm
            tier={editing}
            name={editing.name}
            owners={editing.fieldOwners}
            onCancel={() => setEditing(null)}
            onSaved={(m) => {
              setEditing(null);
              onChanged(m);
            }}
          />
        )}
      </Modal>
      <TierForm
        event={event}
        currency={currency}
        sections={sections}
        onCreated={(name) => onChanged(`Tier ${name} added.`)}
      />
    </Stack>
  );
}
