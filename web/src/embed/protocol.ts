/**
 * What the portal, framed by embed.js on a promoter's page, tells that
 * page (window.postMessage; nothing secret, so to any origin: embed.js
 * checks who sent it).
 */
export type PortalMessage =
  /** The portal's content is `height` CSS pixels tall. */
  | { type: "sellout:resize"; height: number }
  /** An order was completed (paid, tickets issued). */
  | { type: "sellout:completed"; event: string; orderId: string; number: string }
  /** The buyer closed the portal. */
  | { type: "sellout:close" };

export const MESSAGE_TYPES = ["sellout:resize", "sellout:completed", "sellout:close"] as const;

export function isPortalMessage(data: unknown): data is PortalMessage {
  if (typeof data !== "object" || data === null) return false;
  const type = (data as { type?: unknown }).type;
  return typeof type === "string" && (MESSAGE_TYPES as readonly string[]).includes(type);
}
