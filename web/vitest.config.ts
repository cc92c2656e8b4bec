import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  test: {
    include: ["src/**/*.test.{ts,tsx}", "tests/**/*.test.mjs"],
    environment: "jsdom",
    setupFiles: ["src/test/setup.ts"],
    // A test may wait that long for lazily loaded modules on a busy machine.
    testTimeout: 30_000,
  },
});
