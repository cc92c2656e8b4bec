import { describe, expect, it } from "vitest";
import { buyerInput, buyerSchema, normalizePhone } from "./buyer";

const ok = { email: "ada@example.com", name: "Ada Lovelace", phone: "" };

function problems(values: Record<string, string>) {
  const r = buyerSchema.safeParse(values);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("buyer details", () => {
  it("takes an e-mail address, a name and no phone", () => {
    expect(buyerSchema.safeParse(ok).success).toBe(true);
  });

  it("trims what was typed", () => {
    expect(buyerSchema.parse({ email: "  ada@example.com ", name: " Ada ", phone: " " })).toEqual({
      email: "ada@example.com",
      name: "Ada",
      phone: "",
    });
  });

  it("says what is wrong, field by field, as i18n keys", () => {
    expect(problems({ email: "ada", name: "", phone: "12" })).toEqual({
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
});
