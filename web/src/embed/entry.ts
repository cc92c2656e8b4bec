/** embed.js's entry: installs once, from the gateway its own <script src> names. */
import { install, type SelloutApi } from "./host";

declare global {
  interface Window {
    Sellout?: SelloutApi;
  }
}

function ownSrc(): string | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current.src;
  const scripts = Array.from(document.querySelectorAll<HTMLScriptElement>("script[src]"));
  return scripts.find((s) => /\/embed\.js(\?|#|$)/.test(s.src))?.src ?? null;
}

if (!window.Sellout) {
  const src = ownSrc();
  if (src) {
    const { open, close } = install(window, src);
    window.Sellout = { open, close };
  } else {
    console.error("Sellout: embed.js could not tell its own address; load it with <script src=…/embed.js>");
  }
}
