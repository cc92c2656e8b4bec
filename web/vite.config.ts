import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** The gateway serves this build at /portal/ (GraphQL at /graphql on the same origin). */
export const BASE = "/portal/";

export default defineConfig({
  base: BASE,
  plugins: [react()],
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
  },
  server: {
    // `npm run dev`: GraphQL (and its websocket) from a gateway on this machine
    proxy: {
      "/graphql": { target: process.env.SELLOUT_GATEWAY ?? "http://127.0.0.1:4000", ws: true },
    },
  },
});
