// @vitest-environment node
import { describe, expect, it } from "vitest";
import { stays } from "./harness.mjs";

describe("stays", () => {
  it("passes when the condition holds for the whole time", async () => {
    let checks = 0;
    await stays("a count", () => ++checks > 0, 50, 10);
    expect(checks).toBeGreaterThan(2);
  });

  it("fails as soon as the condition no longer holds, naming it", async () => {
    let n = 0;
    const started = Date.now();
    await expect(stays("one check-in counted", () => ++n < 3, 5_000, 10)).rejects.toThrow(
      "one check-in counted: no longer so",
    );
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("fails when the check throws, saying why", async () => {
    await expect(
      stays(
        "a count",
        () => {
          throw new Error("gone");
        },
        50,
      ),
    ).rejects.toThrow("a count: no longer so (gone)");
  });
});
