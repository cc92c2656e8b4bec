/** The buyer's details, as the checkout form takes them (messages are i18n keys). */
import { z } from "zod";

const E164 = /^\+[1-9]\d{6,14}$/;

/** "+44 7700 900123", "+44 (0)7700-900123" → "+447700900123" (spaces, dashes, dots, brackets and a trunk "(0)" dropped). */
export function normalizePhone(phone: string): string {
  return phone.replace(/\(0\)/g, "").replace(/[\s().-]/g, "");
}

export const buyerSchema = z.object({
  email: z
    .string()
    .trim()
    .pipe(z.email({ error: "checkout.errors.email" })),
  name: z.string().trim().min(1, { error: "checkout.errors.name" }).max(100, { error: "checkout.errors.nameLong" }),
  phone: z
    .string()
    .trim()
    .refine((v) => v === "" || E164.test(normalizePhone(v)), { error: "checkout.errors.phone" }),
});

export type BuyerValues = z.infer<typeof buyerSchema>;

/** What createOrder is told of the buyer (the e-mail address is the login's). */
export function buyerInput(values: BuyerValues): { name: string; email: string; phone?: string } {
  const phone = normalizePhone(values.phone);
  return { name: values.name.trim(), email: values.email.trim(), ...(phone ? { phone } : {}) };
}
