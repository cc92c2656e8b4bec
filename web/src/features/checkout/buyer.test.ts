import { describe, expect, it, vi } from "vitest";
import { buyerInput, buyerSchema, coarseArea, locate, LOCATE_TIMEOUT_MS, normalizePhone } from "./buyer";

const ok = { email: "ada@example.com", name: "Ada Lovelace", phone: "", shareArea: false };

function problems(values: Record<string, string | boolean>) {
  const r = buyerSchema.safeParse(values);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("buyer details", () => {
  it("takes an e-mail address, a name and no phone", () => {
    expect(buyerSchema.safeParse(ok).success).toBe(true);
  });

  it("trims what was typed", () => {
    expect(buyerSchema.parse({ email: "  ada@example.com ", name: " Ada ", phone: " ", shareArea: false })).toEqual({
      email: "ada@example.com",
      name: "Ada",
      phone: "",
      shareArea: false,
    });
  });

  it("says what is wrong, field by field, as i18n keys", () => {
    expect(problems({ email: "ada", name: "", phone: "12", shareArea: false })).toEqual({
      email: "checkout.errors.email",
      name: "checkout.errors.name",
      phone: "checkout.errors.phone",
    });
    expect(problems({ ...ok, name: "x".repeat(101) })).toEqual({ name: "checkout.errors.nameLong" });
  });

  it.each(["+44 7700 900123", "+44 (0)7700 900123", "+49-151-2345-6789", "+15555550123"])(
    "takes the phone number %s",
    (phone) => expect(buyerSchema.safeParse({ ...ok, phone }).success).toBe(true),
  );

  it.each(["07700 900123", "+0 123 4567", "+44 77", "call me"])("refuses the phone number %s", (phone) =>
    expect(problems({ ...ok, phone })).toEqual({ phone: "checkout.errors.phone" }),
  );

  it("sends the phone number in E.164 form, and none when none was given", () => {
    expect(normalizePhone("+44 (0)7700 900-123")).toBe("+447700900123");
    expect(buyerInput({ ...ok, phone: "+44 7700 900123" })).toEqual({
      name: "Ada Lovelace",
      email: "ada@example.com",
      phone: "+447700900123",
    });
    expect(buyerInput(ok)).toEqual({ name: "Ada Lovelace", email: "ada@example.com" });
  });

  it("sends only the 0.1-degree cell of where the buyer is, and only when they chose to share it", () => {
    expect(coarseArea(53.9591, -1.0815)).toEqual({ latitude: 53.95, longitude: -1.05 });
    const area = coarseArea(53.9591, -1.0815);
    expect(buyerInput({ ...ok, shareArea: true, area }).area).toEqual(area);
    expect(buyerInput({ ...ok, shareArea: false, area }).area).toBeUndefined();
    expect(buyerInput({ ...ok, shareArea: true, area: null }).area).toBeUndefined();
  });

  it("asks the browser, and goes on without an area when the buyer refuses", async () => {
    const at = (lat: number, lon: number) =>
      ({
        getCurrentPosition: (ok: PositionCallback) =>
          ok({ coords: { latitude: lat, longitude: lon } } as GeolocationPosition),
      }) as unknown as Geolocation;
    const refused = {
      getCurrentPosition: (_: PositionCallback, fail: PositionErrorCallback) =>
        fail({ code: 1, message: "denied" } as GeolocationPositionError),
    } as unknown as Geolocation;
    await expect(locate(at(51.5074, -0.1278))).resolves.toEqual({ latitude: 51.55, longitude: -0.15 });
    await expect(locate(refused)).resolves.toBeNull();
    await expect(locate(undefined)).resolves.toBeNull();
  });

  it("goes on without an area when the browser's question is not answered in time", async () => {
    vi.useFakeTimers();
    try {
      let answer: PositionCallback = () => undefined;
      const pending = {
        getCurrentPosition: (ok: PositionCallback) => {
          answer = ok;
        },
      } as unknown as Geolocation;
      let settled: unknown = "pending";
      void locate(pending).then((a) => (settled = a));
      await vi.advanceTimersByTimeAsync(LOCATE_TIMEOUT_MS - 1);
      expect(settled).toBe("pending");
      await vi.advanceTimersByTimeAsync(1);
      expect(settled).toBeNull();
      // An answer after the timeout changes nothing.
      answer({ coords: { latitude: 51.5, longitude: -0.1 } } as GeolocationPosition);
      await vi.advanceTimersByTimeAsync(0);
      expect(settled).toBeNull();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
