import { z } from "zod";

/** Messages are i18n keys; the field shows them translated. */
export const emailSchema = z.object({
  email: z
    .string()
    .trim()
    .pipe(z.email({ error: "checkout.errors.email" })),
});

export const codeSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, { error: "checkout.errors.code" }),
});

export type EmailValues = z.infer<typeof emailSchema>;
export type CodeValues = z.infer<typeof codeSchema>;
