/**
 * English and German. The language is `?lang=` when given, else the
 * browser's first of the two, else English.
 */
import i18next from "i18next";
import { initReactI18next, useTranslation } from "react-i18next";
import { de } from "./de";
import { en } from "./en";
import { formatDate, formatDateTime, formatEventDateTime, formatEventDay, formatMoney, type EventZone } from "./format";

export { eventZone, type EventZone } from "./format";

export const LANGUAGES = ["en", "de"] as const;
export type Language = (typeof LANGUAGES)[number];

export function pickLanguage(asked: string | null, browser: readonly string[]): Language {
  for (const tag of [asked, ...browser]) {
    const base = tag?.toLowerCase().split("-")[0];
    const found = LANGUAGES.find((l) => l === base);
    if (found) return found;
  }
  return "en";
}

export const i18n = i18next.createInstance();

export function initI18n(lng: Language = "en") {
  if (!i18n.isInitialized)
    void i18n.use(initReactI18next).init({
      resources: { en: { translation: en }, de: { translation: de } },
      lng,
      fallbackLng: "en",
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  return i18n;
}

/** Formatting in the current language. */
export function useFormat() {
  const { i18n: current } = useTranslation();
  const locale = current.language;
  return {
    locale,
    money: (minor: number, currency: string) => formatMoney(minor, currency, locale),
    dateTime: (v: string | number) => formatDateTime(v, locale),
    date: (v: string | number) => formatDate(v, locale),
    /** On the event's clock, the zone named. */
    eventDateTime: (v: string | number, zone: EventZone) => formatEventDateTime(v, locale, zone),
    eventDay: (day: { doorsAt: string; startsAt: string; endsAt: string }, zone: EventZone) =>
      formatEventDay(day, locale, zone),
  };
}
