/**
 * Team: who may do what in the organization. ADMINs see the members;
 * OWNERs add them, change their roles and remove them, each change
 * confirmed in a dialog naming the member. A member set by another field
 * manager (GitOps) is shown as such and changed only when the owner takes
 * it over deliberately; a SUPER_USER (platform staff) is shown read-only
 * to everyone but platform staff.
 */
import {
  Badge,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useClient, useQuery } from "urql";
import { ApiError, dataOf } from "../../../api/errors";
import { Loading, Problem } from "../../../components/Status";
import type { Role } from "../../gql/graphql";

import { useOrg } from "../../session/org";
import { atLeast, ROLE_NAMES } from "../../session/roles";
import { ConfirmModal } from "../../lib/ConfirmModal";
import { BackstageMembersQuery, BackstageRemoveMemberMutation, BackstageSetMemberMutation } from "./api";
import { addProblem, foreignManager, grantable, roleChoices, type MemberLike } from "./members";

function message(e: unknown): string {
  return e instanceof ApiError ? e.message : String(e);
}

function roleOptions(roles: readonly Role[]) {
  return roles.map((r) => ({ value: r, label: ROLE_NAMES[r] }));
}

/** The form adding a member; an address already in `members` is refused here, never re-roled. */
function AddMember({ members, onDone }: { members: readonly MemberLike[]; onDone: () => void }) {
  const org = useOrg();
  const client = useClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("SCANNER");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const bad = addProblem(members, email);
    setProblem(bad);
    if (bad) return;
    setBusy(true);
    try {
      dataOf(
        await client
          .mutation(BackstageSetMemberMutation, { ns: org.namespace, email: email.trim(), role, force: false })
          .toPromise(),
      );
      setEmail("");
      onDone();
    } catch (err) {
      setProblem(message(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Title order={3} size="h4" mb="sm">
          Add a member
        </Title>
        <Group align="flex-start">
          <TextInput
            label="E-mail address"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={problem}
            errorProps={{ role: "alert" }}
          />
          <NativeSelect
            label="Role"
            value={role}
            onChange={(e) => setRole(e.currentTarget.value as Role)}
            data={roleOptions(grantable(org.role))}
          />
          <Button type="submit" mt={24} loading={busy}>
            Add member
          </Button>
        </Group>
      </form>
    </Paper>
  );
}

/** What the row asks to confirm: a role change (`from` the role shown, to `next`) or the member's removal. */
type Pending = { kind: "role"; from: Role; next: Role } | { kind: "remove" };

function MemberRow({
  email,
  role,
  manager,
  canEdit,
  onDone,
}: {
  email: string;
  role: Role;
  manager: string | null;
  canEdit: boolean;
  onDone: () => void;
}) {
  const org = useOrg();
  const client = useClient();
  const [takeOver, setTakeOver] = useState(false);
  /** The role picked in the select, until it is saved or put back (null: the member's own). */
  const [picked, setPicked] = useState<Role | null>(null);
  /** What the open dialog confirms; kept while it closes, so its text stays until it is gone. */
  const [pending, setPending] = useState<Pending | null>(null);
  const [opened, setOpened] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const editable = canEdit && (manager === null || takeOver);
  const chosen = picked ?? role;
  const open = (p: Pending) => {
    setProblem(null);
    setPending(p);
    setOpened(true);
  };
  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    setProblem(null);
    try {
      if (pending.kind === "role")
        dataOf(
          await client
            .mutation(BackstageSetMemberMutation, { ns: org.namespace, email, role: pending.next, force: takeOver })
            .toPromise(),
        );
      else dataOf(await client.mutation(BackstageRemoveMemberMutation, { ns: org.namespace, email }).toPromise());
      setOpened(false);
      setPicked(null);
      onDone();
    } catch (err) {
      setProblem(message(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Table.Tr data-testid="member-row" data-email={email}>
      <Table.Td>{email}</Table.Td>
      <Table.Td>
        {editable ? (
          <Group gap="xs" wrap="nowrap">
            <NativeSelect
              aria-label={`Role of ${email}`}
              size="xs"
              value={chosen}
              onChange={(e) => setPicked(e.currentTarget.value as Role)}
              data={roleOptions(roleChoices(org.role, role))}
            />
            <Button
              size="compact-sm"
              variant="light"
              disabled={chosen === role}
              onClick={() => open({ kind: "role", from: role, next: chosen })}
              aria-label={`Change role of ${email}`}
            >
              Change role
            </Button>
          </Group>
        ) : (
          <span data-testid="member-role">{ROLE_NAMES[role]}</span>
        )}
      </Table.Td>
      <Table.Td>
        {manager ? (
          <Stack gap={4}>
            <Badge variant="outline" color="gray">
              Managed by {manager}
            </Badge>
            {canEdit && (
              <Checkbox
                size="xs"
                label={`Take over from ${manager}`}
                checked={takeOver}
                onChange={(e) => setTakeOver(e.currentTarget.checked)}
              />
            )}
          </Stack>
        ) : (
          <Text size="sm">Backstage</Text>
        )}
      </Table.Td>
      <Table.Td>
        {editable && (
          <Button size="compact-sm" variant="subtle" color="red" onClick={() => open({ kind: "remove" })}>
            Remove {email}
          </Button>
        )}
        <ConfirmModal
          opened={opened && pending?.kind === "role"}
          title={`Change the role of ${email}?`}
          confirmLabel="Change role"
          color="blue"
          onConfirm={() => void confirm()}
          onClose={() => setOpened(false)}
          busy={busy}
          problem={problem}
        >
          {pending?.kind === "role"
            ? `${email} goes from ${ROLE_NAMES[pending.from]} to ${ROLE_NAMES[pending.next]}.${
                manager && takeOver ? ` Backstage takes the member over from ${manager}.` : ""
              }`
            : ""}
        </ConfirmModal>
        <ConfirmModal
          opened={opened && pending?.kind === "remove"}
          title={`Remove ${email}?`}
          confirmLabel="Remove member"
          onConfirm={() => void confirm()}
          onClose={() => setOpened(false)}
          busy={busy}
          problem={problem}
        >
          {`${email} (${ROLE_NAMES[role]}) is no longer a member of ${org.displayName} and loses its Backstage pages.`}
        </ConfirmModal>
      </Table.Td>
    </Table.Tr>
  );
}

export default function TeamPage() {
  const org = useOrg();
  const [{ data, error, fetching }, refetch] = useQuery({
    query: BackstageMembersQuery,
    variables: { ns: org.namespace },
  });
  const canEdit = atLeast(org.role, "OWNER");
  const again = () => refetch({ requestPolicy: "network-only" });
  const members = data?.organization.members.nodes;
  return (
    <Stack>
      <Title order={2}>Team</Title>
      <Text>
        Members sign in to Backstage with their e-mail address.{" "}
        {canEdit ? "You can add members and change their roles." : "Only an owner changes members and roles."}
      </Text>
      {canEdit && members && <AddMember members={members} onDone={again} />}
      {error && <Problem>{error.message}</Problem>}
      {fetching && !data && <Loading label="Loading members…" />}
      {members && (
        <Table striped aria-label="Members">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>E-mail</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Set by</Table.Th>
              <Table.Th>
                <span className="visually-hidden">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {members.map((m) => (
              <MemberRow
                key={m.email}
                email={m.email}
                role={m.role}
                manager={foreignManager(m.fieldOwners)}
                canEdit={canEdit && (m.role !== "SUPER_USER" || org.role === "SUPER_USER")}
                onDone={again}
              />
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
