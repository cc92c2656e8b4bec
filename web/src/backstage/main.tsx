import "@mantine/core/styles.css";
import "./backstage.css";
import { defaultVariantColorsResolver, MantineProvider, mergeThemeOverrides, parseThemeColor } from "@mantine/core";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { I18nextProvider } from "react-i18next";
import { Provider as UrqlProvider } from "urql";
import { client } from "../api/client";
import { initI18n } from "../i18n";
import { cssVariablesResolver, theme } from "../theme";
import { App } from "./App";

/**
 * The shared theme, with near-black text on light badges and alerts: the
 * light variant's coloured text (yellow, green, orange…) on its tint misses
 * WCAG AA contrast (axe); the tint still tells the colour. Outline
 * variants take shade 9 for the same reason.
 */
const backstageTheme = mergeThemeOverrides(theme, {
  variantColorResolver: (input) => {
    const colors = defaultVariantColorsResolver(input);
    if (input.variant === "light") return { ...colors, color: "var(--mantine-color-dark-9)" };
    if (input.variant === "outline") {
      const c = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
      if (c.isThemeColor)
        return {
          ...colors,
          color: `var(--mantine-color-${c.color}-9)`,
          border: `1px solid var(--mantine-color-${c.color}-9)`,
        };
    }
    return colors;
  },
});

// Backstage speaks English (the shared sign-in form is translated, the rest not yet).
const i18n = initI18n("en");

const root = document.getElementById("root");
if (root)
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <MantineProvider theme={backstageTheme} cssVariablesResolver={cssVariablesResolver} forceColorScheme="light">
          <UrqlProvider value={client}>
            <App />
          </UrqlProvider>
        </MantineProvider>
      </I18nextProvider>
    </StrictMode>,
  );
