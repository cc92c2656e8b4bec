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
  /** Whether the buyer chose to share roughly where they are with the promoter. */
  shareArea: z.boolean(),
});

export type BuyerValues = z.infer<typeof buyerSchema>;

/** A point on the map, in degrees. */
export interface Area {
  latitude: number;
  longitude: number;
}

/** The buyer's details, and their rough area when they shared it. */
export type BuyerDetails = BuyerValues & { area?: Area | null };

/**
 * The centre of the 0.1-degree cell (about 11 km) around a position: all
 * of it that leaves the browser (the gateway rounds again).
 */
export function coarseArea(latitude: number, longitude: number): Area {
  const cell = (d: number) => Math.round((Math.floor(d * 10) + 0.5) * 100) / 1000;
  return { latitude: cell(latitude), longitude: cell(longitude) };
}

/**
 * How long the checkout waits for the browser's answer: its question may
 * never be answered, and the area is optional, so the buyer goes on without.
 */
export const LOCATE_TIMEOUT_MS = 5_000;

/** The buyer's rough area from the browser (it asks them), or null when refused, unknown or not answered in time. */
export function locate(
  geo: Geolocation | undefined = globalThis.navigator?.geolocation,
  waitMs = LOCATE_TIMEOUT_MS,
): Promise<Area | null> {
  if (!geo) return Promise.resolve(null);
  return new Promise((resolve) => {
    // Geolocation's own timeout starts only once the buyer has answered.
    const timer = setTimeout(() => resolve(null), waitMs);
    const answer = (area: Area | null) => {
      clearTimeout(timer);
      resolve(area);
    };
    geo.getCurrentPosition(
      (p) => answer(coarseArea(p.coords.latitude, p.coords.longitude)),
      () => answer(null),
      { enableHighAccuracy: false, maximumAge: 3_600_000, timeout: waitMs },
    );
  });
}

/** What createOrder is told of the buyer (the e-mail address is the login's). */
export function buyerInput(values: BuyerDetails): { name: string; email: string; phone?: string; area?: Area } {
  const phone = normalizePhone(values.phone);
  return {
    name: values.name.trim(),
    email: values.email.trim(),
    ...(phone ? { phone } : {}),
    ...(values.shareArea && values.area ? { area: values.area } : {}),
  };
}
