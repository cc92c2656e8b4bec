/** A refused save's form-level messages (those no field of the form concerns), in full. */
import { List, Text } from "@mantine/core";
import { Problem } from "../../components/Status";

/** Form-level messages (those no field of the form concerns). */
export function FormProblems({ messages, testId }: { messages: readonly string[]; testId?: string }) {
  if (messages.length === 0) return null;
  return (
    <div data-testid={testId}>
      <Problem title="Not saved">
        {messages.length === 1 ? (
          <Text size="sm">{messages[0]}</Text>
        ) : (
          <List size="sm">
            {messages.map((m) => (
              <List.Item key={m}>{m}</List.Item>
            ))}
          </List>
        )}
      </Problem>
    </div>
  );
}
