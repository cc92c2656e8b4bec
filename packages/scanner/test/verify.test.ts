import * as ed from "@noble/ed25519";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { base45Decode, base45Encode } from "../src/base45.js";
import { decodeTicket } from "../src/ticket.js";
import { seenKey, verifyTicket, type Admission, type ScannerKit } from "../src/verify.js";

ed.hashes.sha512 = sha512;

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const uuidBytes = (u: string) => Uint8Array.from(u.replace(/-/g, "").match(/../g) ?? [], (h) => parseInt(h, 16));
const tierHash = (name: string) => sha256(new TextEncoder().encode(name)).slice(0, 4);

const EVENT = "6f1c2a9e-3b7d-4c1e-9a2f-0d5e8b7c6a41";
const OTHER_EVENT = "0b0b0b0b-1111-4222-8333-444455556666";
const TICKET = "1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5";

const secret1 = ed.utils.randomSecretKey();
const secret9 = ed.utils.randomSecretKey();

interface Claims {
  version?: number;
  keyId?: number;
  event?: string;
  ticket?: string;
  tier?: string;
  days?: number[];
  admits?: number;
  secret?: Uint8Array;
}

function payload(c: Claims = {}): Uint8Array {
  const body = new Uint8Array(43);
  body[0] = c.version ?? 1;
  body[1] = c.keyId ?? 1;
  body.set(uuidBytes(c.event ?? EVENT), 2);
  body.set(uuidBytes(c.ticket ?? TICKET), 18);
  body.set(tierHash(c.tier ?? "weekend"), 34);
  const mask = (c.days ?? [1, 2]).reduce((m, d) => m | (1 << (d - 1)), 0) >>> 0;
  new DataView(body.buffer).setUint32(38, mask, false);
  body[42] = c.admits ?? 1;
  const sig = ed.sign(body, c.secret ?? secret1);
  const out = new Uint8Array(107);
  out.set(body, 0);
  out.set(sig, 43);
  return out;
}

const ticket = (c: Claims = {}) => base45Encode(payload(c));

const kit: ScannerKit = {
  eventUid: EVENT,
  keys: [{ keyId: 1, publicKey: hex(ed.getPublicKey(secret1)) }],
  days: [
    {
      day: 1,
      doorsAt: "2026-07-10T16:00:00Z",
      startsAt: "2026-07-10T18:00:00Z",
      endsAt: "2026-07-10T23:00:00Z",
      scanFrom: "2026-07-10T04:00:00Z",
      scanUntil: "2026-07-11T05:00:00Z",
    },
    {
      day: 2,
      doorsAt: "2026-07-11T16:00:00Z",
      startsAt: "2026-07-11T18:00:00Z",
      endsAt: "2026-07-11T23:00:00Z",
      scanFrom: "2026-07-11T06:00:00Z",
      scanUntil: "2026-07-12T05:00:00Z",
    },
    {
      day: 3,
      doorsAt: "2026-07-12T16:00:00Z",
      startsAt: "2026-07-12T18:00:00Z",
      endsAt: "2026-07-12T23:00:00Z",
      scanFrom: "2026-07-12T06:00:00Z",
      scanUntil: "2026-07-13T05:00:00Z",
    },
  ],
  tiers: [
    { name: "weekend", displayName: "Weekend pass", hash: hex(tierHash("weekend")), addOn: false },
    { name: "vip", displayName: "VIP", hash: hex(tierHash("vip")), addOn: false },
    { name: "parking", displayName: "Parking", hash: hex(tierHash("parking")), addOn: true },
  ],
  gates: [
    { name: "main", displayName: "Main entrance", tiers: [], reentry: false },
    { name: "vip-door", displayName: "VIP door", tiers: ["vip"], reentry: false },
  ],
  revoked: ["99999999-8888-4777-8666-555544443333"],
  asOf: "2026-07-10T12:00:00Z",
};

const DAY1 = new Date("2026-07-10T19:00:00Z");
const DAY2 = new Date("2026-07-11T19:00:00Z");
const DAY3 = new Date("2026-07-12T19:00:00Z");
const none = new Map<string, Admission>();

describe("base45", () => {
  it("decodes the RFC 9285 examples", () => {
    expect(new TextDecoder().decode(base45Decode("BB8") ?? undefined)).toBe("AB");
    expect(new TextDecoder().decode(base45Decode("%69 VD92EX0") ?? undefined)).toBe("Hello!!");
    expect(new TextDecoder().decode(base45Decode("UJCLQE7W581") ?? undefined)).toBe("base-45");
    expect(new TextDecoder().decode(base45Decode("QED8WEX0") ?? undefined)).toBe("ietf!");
  });
  it("round-trips and refuses what is not base45", () => {
    const bytes = Uint8Array.from({ length: 107 }, (_, i) => (i * 37 + 11) & 0xff);
    expect(base45Decode(base45Encode(bytes))).toEqual(bytes);
    expect(base45Decode("GGW")).toBeNull(); // 65535 + 1 does not fit two bytes
    expect(base45Decode(":::")).toBeNull(); // 44 + 44·45 + 44·2025 > 65535
    expect(base45Decode("::")).toBeNull(); // final pair over 255
    expect(base45Decode("ab8")).toBeNull(); // lowercase is not in the alphabet
    expect(base45Decode("BB8A")).toBeNull(); // one character over
  });
  it("a ticket is 161 characters", () => {
    expect(ticket()).toHaveLength(161);
    const d = decodeTicket(ticket());
    expect(d.ok && d.ticket.claims).toMatchObject({
      keyId: 1,
      eventUid: EVENT,
      ticketId: TICKET,
      validDays: [1, 2],
      admits: 1,
    });
  });
});

describe("verifyTicket", () => {
  it("admits a valid ticket on its day", () => {
    const a = verifyTicket(ticket(), kit, DAY1, "Main entrance", none, { device: "dev-1" });
    expect(a).toMatchObject({
      outcome: "ADMITTED",
      ticketId: TICKET,
      tier: "weekend",
      tierDisplayName: "Weekend pass",
      day: 1,
      admissions: 1,
    });
    expect(a.standing).toMatchObject({ gate: "main", device: "dev-1", offline: true, at: DAY1.toISOString() });
  });

  it("admits a table's seats with one ticket", () => {
    expect(verifyTicket(ticket({ admits: 8 }), kit, DAY1, "main", none)).toMatchObject({
      outcome: "ADMITTED",
      admissions: 8,
    });
  });

  it("takes surrounding white space off a typed code, but reads a code verbatim first", () => {
    expect(verifyTicket(`  ${ticket()}\n`, kit, DAY1, "main", none).outcome).toBe("ADMITTED");
    // key id 5 makes the text begin with a space: read verbatim, it verifies
    const spaced = ticket({ keyId: 5, secret: secret9 });
    expect(spaced.startsWith(" ")).toBe(true);
    const withKey5: ScannerKit = {
      ...kit,
      keys: [...kit.keys, { keyId: 5, publicKey: hex(ed.getPublicKey(secret9)) }],
    };
    expect(verifyTicket(spaced, withKey5, DAY1, "main", none).outcome).toBe("ADMITTED");
    expect(verifyTicket(` ${spaced} `, withKey5, DAY1, "main", none).outcome).toBe("INVALID");
  });

  it("a changed byte anywhere is INVALID", () => {
    const good = payload();
    for (const i of [0, 1, 5, 20, 36, 40, 42, 50, 106]) {
      const bad = good.slice();
      bad[i] = (bad[i] ?? 0) ^ 0x01;
      expect(verifyTicket(base45Encode(bad), kit, DAY1, "main", none), `byte ${i}`).toMatchObject({
        outcome: "INVALID",
        ticketId: null,
      });
    }
  });

  it("a changed character is INVALID", () => {
    const t = ticket();
    const c = t.charAt(80) === "A" ? "B" : "A";
    expect(verifyTicket(t.slice(0, 80) + c + t.slice(81), kit, DAY1, "main", none).outcome).toBe("INVALID");
  });

  it("an unknown key id is INVALID", () => {
    expect(verifyTicket(ticket({ keyId: 9, secret: secret9 }), kit, DAY1, "main", none).outcome).toBe("INVALID");
  });

  it("a known key id with another key's signature is INVALID", () => {
    expect(verifyTicket(ticket({ keyId: 1, secret: secret9 }), kit, DAY1, "main", none).outcome).toBe("INVALID");
  });

  it("another version is INVALID", () => {
    expect(verifyTicket(ticket({ version: 2 }), kit, DAY1, "main", none).outcome).toBe("INVALID");
  });

  it("days or admits of 0 are INVALID", () => {
    expect(verifyTicket(ticket({ days: [] }), kit, DAY1, "main", none).outcome).toBe("INVALID");
    expect(verifyTicket(ticket({ admits: 0 }), kit, DAY1, "main", none).outcome).toBe("INVALID");
  });

  it("a genuine ticket of another event is WRONG_EVENT", () => {
    expect(verifyTicket(ticket({ event: OTHER_EVENT }), kit, DAY1, "main", none)).toMatchObject({
      outcome: "WRONG_EVENT",
      ticketId: TICKET,
    });
  });

  it("a revoked ticket is REVOKED", () => {
    const id = kit.revoked[0] ?? "";
    expect(verifyTicket(ticket({ ticket: id }), kit, DAY1, "main", none)).toMatchObject({
      outcome: "REVOKED",
      ticketId: id,
    });
  });

  it("an unknown tier is INVALID", () => {
    expect(verifyTicket(ticket({ tier: "not-sold" }), kit, DAY1, "main", none).outcome).toBe("INVALID");
  });

  it("day logic: the kit day whose scan window holds now", () => {
    const day2 = ticket({ days: [2] });
    expect(verifyTicket(day2, kit, DAY1, "main", none)).toMatchObject({
      outcome: "NOT_YET_VALID",
      day: 1,
      validDays: [2],
    });
    expect(verifyTicket(day2, kit, DAY2, "main", none)).toMatchObject({ outcome: "ADMITTED", day: 2 });
    expect(verifyTicket(day2, kit, DAY3, "main", none)).toMatchObject({ outcome: "WRONG_DAY", day: 3 });
    expect(verifyTicket(ticket({ days: [1] }), kit, DAY2, "main", none).outcome).toBe("WRONG_DAY");
    // before any scan window: not yet; after the last: wrong day
    expect(verifyTicket(ticket(), kit, new Date("2026-07-09T12:00:00Z"), "main", none)).toMatchObject({
      outcome: "NOT_YET_VALID",
      day: 0,
    });
    expect(verifyTicket(ticket(), kit, new Date("2026-07-20T12:00:00Z"), "main", none)).toMatchObject({
      outcome: "WRONG_DAY",
      day: 0,
    });
    // between two windows: valid on a later day is not yet, only an earlier one is wrong day
    const gap = new Date("2026-07-11T05:30:00Z");
    expect(verifyTicket(day2, kit, gap, "main", none).outcome).toBe("NOT_YET_VALID");
    expect(verifyTicket(ticket({ days: [1] }), kit, gap, "main", none).outcome).toBe("WRONG_DAY");
    // the window is [scanFrom, scanUntil)
    expect(verifyTicket(day2, kit, new Date("2026-07-11T06:00:00Z"), "main", none).outcome).toBe("ADMITTED");
    expect(verifyTicket(ticket({ days: [1] }), kit, new Date("2026-07-11T05:00:00Z"), "main", none).outcome).toBe(
      "WRONG_DAY",
    );
  });

  it("where two days' windows overlap, a show still running keeps its day, else the coming day", () => {
    // Day 1 runs past midnight, into day 2's scanning window.
    const late = {
      ...kit,
      days: kit.days.map((d) =>
        d.day === 1 ? { ...d, endsAt: "2026-07-11T07:00:00Z", scanUntil: "2026-07-11T13:00:00Z" } : d,
      ),
    };
    const at = (t: string) => new Date(t);
    expect(verifyTicket(ticket({ days: [1] }), late, at("2026-07-11T06:30:00Z"), "main", none)).toMatchObject({
      outcome: "ADMITTED",
      day: 1,
    });
    expect(verifyTicket(ticket({ days: [2] }), late, at("2026-07-11T06:30:00Z"), "main", none).outcome).toBe(
      "NOT_YET_VALID",
    );
    expect(verifyTicket(ticket({ days: [2] }), late, at("2026-07-11T07:30:00Z"), "main", none)).toMatchObject({
      outcome: "ADMITTED",
      day: 2,
    });
  });

  it("an add-on is REDEEMED, then ALREADY_ADMITTED", () => {
    const parking = ticket({ tier: "parking" });
    const first = verifyTicket(parking, kit, DAY1, "main", none);
    expect(first).toMatchObject({ outcome: "REDEEMED", tier: "parking", admissions: 0 });
    const seen = new Map([[seenKey(TICKET, 1), first.standing as Admission]]);
    expect(verifyTicket(parking, kit, DAY1, "main", seen).outcome).toBe("ALREADY_ADMITTED");
  });

  it("gate tiers: WRONG_GATE where the gate does not take the tier", () => {
    expect(verifyTicket(ticket(), kit, DAY1, "VIP door", none).outcome).toBe("WRONG_GATE");
    expect(verifyTicket(ticket(), kit, DAY1, "vip-door", none).outcome).toBe("WRONG_GATE");
    expect(verifyTicket(ticket({ tier: "vip" }), kit, DAY1, "vip-door", none).outcome).toBe("ADMITTED");
    expect(verifyTicket(ticket({ tier: "vip" }), kit, DAY1, "main", none).outcome).toBe("ADMITTED");
    // an event without gates takes any gate text
    expect(verifyTicket(ticket(), { ...kit, gates: [] }, DAY1, "Side door", none).outcome).toBe("ADMITTED");
  });

  it("seen on this device for the day: ALREADY_ADMITTED with when, gate and device", () => {
    const before: Admission = {
      at: "2026-07-10T18:30:00.000Z",
      gate: "main",
      device: "dev-1",
      staff: "s@example.com",
      offline: true,
    };
    const seen = new Map([[seenKey(TICKET, 1), before]]);
    expect(verifyTicket(ticket(), kit, DAY1, "main", seen)).toMatchObject({
      outcome: "ALREADY_ADMITTED",
      standing: before,
      day: 1,
    });
    // the next day is another admission
    expect(verifyTicket(ticket(), kit, DAY2, "main", seen).outcome).toBe("ADMITTED");
  });

  it("garbage, truncated or empty text is INVALID and never throws", () => {
    const t = ticket();
    const inputs: unknown[] = [
      "",
      " ",
      "hello",
      "https://example.com/t/123",
      t.slice(0, 160),
      t.slice(0, 159),
      t.slice(0, 100),
      t + "AB",
      t + "0",
      "\u0000".repeat(161),
      "🎫".repeat(80),
      ":".repeat(161),
      "0".repeat(161),
      null,
      undefined,
      42,
    ];
    for (const input of inputs) {
      const a = verifyTicket(input as string, kit, DAY1, "main", none);
      expect(a.outcome, JSON.stringify(input)).toBe("INVALID");
      expect(a.ticketId).toBeNull();
    }
  });

  it("a kit with a malformed key or day does not throw", () => {
    const broken: ScannerKit = {
      ...kit,
      keys: [{ keyId: 1, publicKey: "zz" }],
      days: kit.days.map((d) => ({ ...d, scanFrom: "nonsense" })),
    };
    expect(verifyTicket(ticket(), broken, DAY1, "main", none).outcome).toBe("INVALID");
  });
});
