/**
 * Capacitor wraps this PWA for the app stores: `npx cap add android|ios`
 * after `npm run build` (needs @capacitor/cli, not installed here).
 * The type is spelled out so the file needs no Capacitor package.
 */
interface CapacitorConfig {
  appId: string;
  appName: string;
  webDir: string;
  server?: { androidScheme?: string };
}

const config: CapacitorConfig = {
  appId: "io.sellout.scanner",
  appName: "Sellout scanner",
  webDir: "dist",
  server: { androidScheme: "https" },
};

export default config;
