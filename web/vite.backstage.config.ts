import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * Backstage, the promoters' back office: its own page (backstage/index.html)
 * and build (dist-backstage/), which the gateway serves at /backstage/ with
 * GraphQL at /graphql on the same origin. It shares src/ (the API layer,
 * sign-in, the scanner component) with the portal, whose first load it
 * never weighs on.
 */
export const BASE = "/backstage/";

export default defineConfig({
  root: fileURLToPath(new URL("backstage", import.meta.url)),
  base: BASE,
  publicDir: false,
  plugins: [react()],
  define: { "import.meta.env.VITE_APP": JSON.stringify("backstage") },
  build: {
    target: "es2022",
    outDir: fileURLToPath(new URL("dist-backstage", import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    fs: { allow: [fileURLToPath(new URL("..", import.meta.url))] },
    // `npm run dev:backstage`: GraphQL (and its websocket) from a gateway on this machine
    proxy: {
      "/graphql": { target: process.env.SELLOUT_GATEWAY ?? "http://127.0.0.1:4000", ws: true },
      "/exports": { target: process.env.SELLOUT_GATEWAY ?? "http://127.0.0.1:4000" },
    },
  },
});
