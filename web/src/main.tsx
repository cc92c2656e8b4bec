import "@mantine/core/styles/baseline.css";
import "@mantine/core/styles/default-css-variables.css";
import "@mantine/core/styles/global.css";
import "@mantine/core/styles/UnstyledButton.css";
import "@mantine/core/styles/Button.css";
import "@mantine/core/styles/CloseButton.css";
import "@mantine/core/styles/Input.css";
import "@mantine/core/styles/Paper.css";
import "@mantine/core/styles/Stack.css";
import "@mantine/core/styles/Group.css";
import "@mantine/core/styles/Title.css";
import "@mantine/core/styles/Text.css";
import "@mantine/core/styles/Anchor.css";
import "@mantine/core/styles/Alert.css";
import "@mantine/core/styles/Loader.css";
import "@mantine/core/styles/Container.css";
import "@mantine/core/styles/Badge.css";
import "@mantine/core/styles/VisuallyHidden.css";
import "./styles.css";
import { MantineProvider } from "@mantine/core";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { I18nextProvider } from "react-i18next";
import { Provider as UrqlProvider } from "urql";
import { client } from "./api/client";
import { App } from "./App";
import { initI18n, pickLanguage } from "./i18n";
import { cssVariablesResolver, theme } from "./theme";

const i18n = initI18n(pickLanguage(new URLSearchParams(window.location.search).get("lang"), navigator.languages));
document.documentElement.lang = i18n.language;
i18n.on("languageChanged", (lng) => {
  document.documentElement.lang = lng;
});

const root = document.getElementById("root");
if (root)
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} forceColorScheme="light">
          <UrqlProvider value={client}>
            <App />
          </UrqlProvider>
        </MantineProvider>
      </I18nextProvider>
    </StrictMode>,
  );
