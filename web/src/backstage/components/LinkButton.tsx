/** A link that looks like a button (a real `<a href>`, navigating without a reload). */
import { Button, type ButtonProps } from "@mantine/core";
import type { ReactNode } from "react";
import { navigate } from "../routes";

export function LinkButton({
  to,
  children,
  testId,
  ...props
}: ButtonProps & { to: string; children: ReactNode; testId?: string }) {
  return (
    <Button
      {...props}
      component="a"
      href={to}
      data-testid={testId}
      onClick={(e: React.MouseEvent) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </Button>
  );
}
