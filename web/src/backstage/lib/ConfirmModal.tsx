/**
 * A Mantine modal asking to confirm one consequential action (a refund,
 * e-mailing tickets), with the API's refusal shown inside it.
 */
import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { Problem } from "../../components/Status";

export function ConfirmModal({
  opened,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  busy,
  problem,
  color = "red",
}: {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  busy: boolean;
  problem: string | null;
  color?: string;
}) {
  return (
    <Modal opened={opened} onClose={busy ? () => undefined : onClose} title={title} centered>
      <Stack gap="sm">
        {typeof children === "string" ? <Text>{children}</Text> : children}
        {problem && <Problem title="Not done">{problem}</Problem>}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button color={color} onClick={onConfirm} loading={busy} data-testid="confirm-action">
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
