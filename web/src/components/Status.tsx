/** Shared status blocks: loading, a problem, a notice that takes focus. */
import { Alert, Group, Loader, Text } from "@mantine/core";
import { useEffect, useRef, type ReactNode } from "react";

export function Loading({ label }: { label: string }) {
  return (
    <Group gap="sm" py="lg" role="status">
      <Loader size="sm" aria-hidden />
      <Text>{label}</Text>
    </Group>
  );
}

/** An error the buyer should read now (role=alert). */
export function Problem({ children, title }: { children: ReactNode; title?: string }) {
  return (
    <Alert color="red" variant="outline" role="alert" title={title} my="md" classNames={{ message: "alert-text" }}>
      {children}
    </Alert>
  );
}

/**
 * A message the page moves focus to when it appears (e.g. the hold ran
 * out), so keyboard and screen-reader users land on it.
 */
export function FocusNotice({
  children,
  tone = "info",
  testId,
}: {
  children: ReactNode;
  tone?: "info" | "error";
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <Alert
      ref={ref}
      tabIndex={-1}
      color={tone === "error" ? "red" : "blue"}
      variant="outline"
      role="alert"
      my="md"
      data-testid={testId}
      classNames={{ message: "alert-text" }}
    >
      {children}
    </Alert>
  );
}
