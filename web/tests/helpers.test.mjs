// @vitest-environment node
import { describe, expect, it } from "vitest";
import {
  checkFixture,
  labelOfSeatName,
  loginCodeOf,
  messagesTo,
  portalUrlOf,
  seriousViolations,
  shotName,
  skippedLine,
  gtagIdOf,
  until,
  withTimeout,
} from "./helpers.mjs";

describe("browser test helpers", () => {
  it("read the login code of an e-mail", () => {
    expect(loginCodeOf("Your Sellout code is 042917. It works for 10 minutes.")).toBe("042917");
    expect(loginCodeOf("no code here, just 12345 or 1234567")).toBeNull();
  });

  it("pick a buyer's messages out of mailpit's list", () => {
    const list = {
      messages: [
        { ID: "1", To: [{ Address: "Ada@Example.com" }] },
        { ID: "2", To: [{ Address: "bob@example.com" }] },
      ],
    };
    expect(messagesTo(list, "ada@example.com").map((m) => m.ID)).toEqual(["1"]);
    expect(messagesTo({}, "ada@example.com")).toEqual([]);
  });

  it("make portal addresses", () => {
    expect(portalUrlOf("http://127.0.0.1:9/portal/", "acme/show")).toBe("http://127.0.0.1:9/portal/acme/show");
    expect(portalUrlOf("http://127.0.0.1:9/portal", "/acme/show/orders")).toBe(
      "http://127.0.0.1:9/portal/acme/show/orders",
    );
  });

  it("keep only serious and critical axe violations", () => {
    const result = {
      violations: [
        { id: "color-contrast", impact: "serious", nodes: [{ target: ["#pay"] }] },
        { id: "region", impact: "moderate", nodes: [{ target: ["main"] }] },
        { id: "label", impact: "critical", nodes: [{ target: [["iframe", "input"]] }, {}] },
      ],
    };
    expect(seriousViolations(result, "portal")).toEqual([
      "portal: color-contrast (serious): 1 node(s), e.g. #pay",
      "portal: label (critical): 2 node(s), e.g. iframe input",
    ]);
  });

  it("wait until something holds, or say what never came", async () => {
    let n = 0;
    expect(await until("n to be 3", () => ++n >= 3 && n, 1000, 1)).toBe(3);
    await expect(until("never", () => false, 20, 5)).rejects.toThrow("timed out waiting for never");
    await expect(withTimeout(new Promise(() => undefined), 10, "sleeping")).rejects.toThrow("sleeping timed out");
  });

  it("check the fixture", () => {
    expect(() => checkFixture({ event: "a/b" })).toThrow(/lacks gatewayOrigin/);
    const full = {
      gatewayOrigin: "o",
      portalUrl: "p",
      hostUrl: "h",
      foreignUrl: "f",
      mailpitUrl: "m",
      event: "a/b",
      gaTier: "ga",
      addOnTier: "parking",
      seatedTier: "balcony",
      tableTier: "table",
      buyerEmail: "a@x",
      secondBuyerEmail: "b@x",
      cards: { ok: "4242424242424242", declined: "4000000000000341" },
      holdTtlSeconds: 60,
      screenshots: "/tmp/s",
    };
    expect(checkFixture(full)).toBe(full);
    expect(() => checkFixture({ ...full, cards: { ok: "1" } })).toThrow(/cards.declined/);
  });

  it("name screenshots and read seat labels", () => {
    expect(shotName(3, "Seat map (B)")).toBe("03-seat-map-b.png");
    expect(labelOfSeatName("Seat A3, free")).toBe("A3");
    expect(labelOfSeatName("Table T1, held")).toBe("T1");
    expect(labelOfSeatName("Row A")).toBeNull();
  });

  it("write a skipped test's line, and read gtag.js's id out of its address", () => {
    expect(skippedLine("analytics tags load only after consent", "no analyticsEvent in the fixture")).toBe(
      "ok - analytics tags load only after consent # skipped: no analyticsEvent in the fixture",
    );
    expect(gtagIdOf("https://www.googletagmanager.com/gtag/js?id=G-SELLOUT123")).toBe("G-SELLOUT123");
    expect(gtagIdOf("https://www.googletagmanager.com/gtag/js?l=dataLayer&id=G-A1")).toBe("G-A1");
    expect(gtagIdOf("https://www.googletagmanager.com/gtm.js?id=GTM-1")).toBeNull();
    expect(gtagIdOf("not a url")).toBeNull();
  });
});
