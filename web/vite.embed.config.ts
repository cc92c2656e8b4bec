import { defineConfig } from "vite";

/**
 * embed.js, the script promoters put on their sites: one plain (IIFE) file
 * with a fixed name, written next to the portal's build (the gateway serves
 * it at /embed.js). Runs after the portal's build, which empties dist/.
 */
export default defineConfig({
  publicDir: false,
  build: {
    target: "es2018",
    outDir: "dist",
    emptyOutDir: false,
    lib: {
      entry: "src/embed/entry.ts",
      formats: ["iife"],
      name: "SelloutEmbed",
      fileName: () => "embed.js",
    },
  },
});
