/** Rendering with the portal's providers: Mantine, i18next (English) and a given urql client. */
import { MantineProvider } from "@mantine/core";
import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement } from "react";
import { I18nextProvider } from "react-i18next";
import { Provider, type Client } from "urql";
import { never } from "wonka";
import { initI18n } from "../i18n";
import { theme } from "../theme";

export const i18n = initI18n("en");

/** A client that never answers (for components that only render what they are given). */
export const silentClient = {
  executeQuery: () => never,
  executeMutation: () => never,
  executeSubscription: () => never,
} as unknown as Client;

export function renderWith(ui: ReactElement, client: Client = silentClient): RenderResult {
  return render(
    <I18nextProvider i18n={i18n}>
      <MantineProvider theme={theme}>
        <Provider value={client}>{ui}</Provider>
      </MantineProvider>
    </I18nextProvider>,
  );
}
