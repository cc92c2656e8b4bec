/**
 * The portal's side of embedding: with `?embed=1` inside an iframe it
 * reports its height, completed orders and the buyer closing it to the
 * page that framed it (see protocol.ts, and host.ts for that page's side).
 */
import { useEffect, type RefObject } from "react";
import type { PortalMessage } from "./protocol";

export function isEmbedded(win: Window = window): boolean {
  let framed: boolean;
  try {
    framed = win.parent !== win;
  } catch {
    framed = true;
  }
  return framed && new URLSearchParams(win.location.search).get("embed") === "1";
}

export const embedded: boolean = typeof window !== "undefined" && isEmbedded();

export function postToHost(message: PortalMessage, win: Window = window) {
  if (!isEmbedded(win)) return;
  // nothing secret in these messages; embed.js checks their origin and source
  win.parent.postMessage(message, "*");
}

const announced = new Set<string>();

/** Tells the host page an order completed, once per order. */
export function announceCompleted(event: string, orderId: string, number: string, win: Window = window) {
  if (announced.has(orderId)) return;
  announced.add(orderId);
  postToHost({ type: "sellout:completed", event, orderId, number }, win);
}

/** Posts the element's height to the host page whenever it changes. */
export function useHostResize(ref: RefObject<HTMLElement | null>, enabled: boolean = embedded) {
  useEffect(() => {
    const el = ref.current;
    if (!enabled || !el || typeof ResizeObserver === "undefined") return;
    let last = -1;
    const report = () => {
      const height = Math.ceil(el.getBoundingClientRect().height);
      if (height !== last) {
        last = height;
        postToHost({ type: "sellout:resize", height });
      }
    };
    const observer = new ResizeObserver(report);
    observer.observe(el);
    report();
    return () => observer.disconnect();
  }, [ref, enabled]);
}

/** Escape closes the framed portal (embed.js closes on Escape on its page too). */
export function useEscapeCloses(enabled: boolean = embedded) {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !e.defaultPrevented) postToHost({ type: "sellout:close" });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enabled]);
}
