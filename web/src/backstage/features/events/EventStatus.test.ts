import { describe, expect, it } from "vitest";
import { workersLine } from "./EventStatus";

describe("worker sets", () => {
  it("say how many are ready of those wanted, and how they scale", () => {
    expect(workersLine({ ready: 1, desired: 2, minReplicas: 1, maxReplicas: 10 })).toBe(
      "1 of 2 ready (scales 1 to 10)",
    );
    expect(workersLine({ ready: 1, desired: 1, minReplicas: 1, maxReplicas: 1 })).toBe("1 of 1 ready (always 1)");
    expect(workersLine(null)).toBe("not reported yet");
  });
});
