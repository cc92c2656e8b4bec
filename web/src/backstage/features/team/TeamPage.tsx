/**
 * Team: who may do what in the organization. ADMINs see the members;
 * OWNERs add them, change their roles and remove them. A member set by
 * another field manager (GitOps) is shown as such and changed only when
 * the owner takes it over deliberately.
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
import { BackstageMembersQuery, BackstageRemoveMemberMutation, BackstageSetMemberMutation } from "./api";
import { emailProblem, foreignManager, grantable } from "./members";

function message(e: unknown): string {
  return e instanceof ApiError ? e.message : String(e);
}

function AddMember({ onDone }: { onDone: () => void }) {
  const org = useOrg();
  const client = useClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("SCANNER");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const bad = emailProblem(email);
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
            data={grantable(org.role).map((r) => ({ value: r, label: ROLE_NAMES[r] }))}
          />
          <Button type="submit" mt={24} loading={busy}>
            Add member
          </Button>
        </Group>
      </form>
    </Paper>
  );
}

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
  const [problem, setProblem] = useState<string | null>(null);
  const editable = canEdit && (manager === null || takeOver);
  const run = async (op: () => Promise<unknown>) => {
    setProblem(null);
    try {
      await op();
      onDone();
    } catch (err) {
      setProblem(message(err));
    }
  };
  const change = (next: Role) =>
    run(async () =>
      dataOf(
        await client
          .mutation(BackstageSetMemberMutation, { ns: org.namespace, email, role: next, force: takeOver })
          .toPromise(),
      ),
    );
  const remove = () =>
    run(async () =>
      dataOf(await client.mutation(BackstageRemoveMemberMutation, { ns: org.namespace, email }).toPromise()),
    );
  return (
    <Table.Tr>
      <Table.Td>{email}</Table.Td>
      <Table.Td>
        {editable ? (
          <NativeSelect
            aria-label={`Role of ${email}`}
            size="xs"
            value={role}
            onChange={(e) => void change(e.currentTarget.value as Role)}
            data={grantable(org.role).map((r) => ({ value: r, label: ROLE_NAMES[r] }))}
          />
        ) : (
          ROLE_NAMES[role]
        )}
        {problem && (
          <Text c="red.9" size="sm" role="alert">
            {problem}
          </Text>
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
          <Button size="compact-sm" variant="subtle" color="red" onClick={() => void remove()}>
            Remove {email}
          </Button>
        )}
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
  return (
    <Stack>
      <Title order={2}>Team</Title>
      <Text>
        Members sign in to Backstage with their e-mail address.{" "}
        {canEdit ? "You can add members and change their roles." : "Only an owner changes members and roles."}
      </Text>
      {canEdit && <AddMember onDone={again} />}
      {error && <Problem>{error.message}</Problem>}
      {fetching && !data && <Loading label="Loading members…" />}
      {data && (
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
            {data.organization.members.nodes.map((m) => (
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
