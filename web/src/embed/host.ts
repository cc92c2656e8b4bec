/**
 * embed.js: the script a promoter puts on their own site,
 *
 *   <script src="https://<gateway>/embed.js" async></script>
 *   <button data-sellout-event="<namespace>/<event>">Buy tickets</button>
 *
 * A click on any element with `data-sellout-event` (present or added later)
 * or `Sellout.open("<namespace>/<event>")` opens the purchase portal of that
 * event in an overlay over the page: a backdrop and an iframe of
 * `<gateway>/portal/<slug>?embed=1`, in a shadow root with its own styles so
 * the page's CSS cannot reach it. The portal reports (postMessage, checked
 * for the gateway's origin and the iframe's window) its height, the buyer
 * closing it, and completed orders, which become a `sellout:completed`
 * CustomEvent on the page's window. Escape, the backdrop and the portal's
 * close button close it, and focus goes back to what opened it.
 */
import { isPortalMessage } from "./protocol";

export interface SelloutApi {
  open(slug: string): void;
  close(): void;
}

export interface Installed extends SelloutApi {
  /** The gateway's origin, from the script's own address. */
  origin: string;
  /** Removes every listener and the overlay (for tests). */
  uninstall(): void;
}

const SLUG = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MARGIN = 32;

const STYLE = `
:host { all: initial; }
.backdrop {
  position: fixed; inset: 0; box-sizing: border-box;
  display: flex; align-items: flex-start; justify-content: center;
  padding: 16px; overflow: hidden;
  background: rgba(15, 17, 21, 0.72);
}
.dialog {
  box-sizing: border-box; width: 100%; max-width: 760px; max-height: 100%;
  margin: auto; border-radius: 12px; overflow: hidden; background: #fff;
  box-shadow: 0 12px 48px rgba(0, 0, 0, 0.4);
}
iframe {
  display: block; box-sizing: border-box; width: 100%; height: 640px; max-height: calc(100vh - ${MARGIN}px);
  border: 0; background: #fff;
}
@media (max-width: 600px) {
  .backdrop { padding: 0; }
  .dialog { border-radius: 0; max-width: none; }
}
`;

export function install(win: Window, scriptSrc: string): Installed {
  const doc = win.document;
  const origin = new URL(scriptSrc, win.location.href).origin;
  let open: { host: HTMLElement; iframe: HTMLIFrameElement; opener: HTMLElement | null; overflow: string } | null =
    null;

  function close() {
    if (!open) return;
    const { host, opener, overflow } = open;
    open = null;
    host.remove();
    doc.documentElement.style.overflow = overflow;
    opener?.focus();
  }

  function openSlug(slug: string, opener: HTMLElement | null = null) {
    slug = String(slug).trim();
    if (!SLUG.test(slug)) {
      console.error(`Sellout: "${slug}" is not an event (<namespace>/<event>)`);
      return;
    }
    close();
    const host = doc.createElement("div");
    host.setAttribute("data-sellout-overlay", "");
    // inline, !important: the page's CSS cannot move or hide the overlay
    host.style.cssText =
      "all: initial !important; position: fixed !important; inset: 0 !important; z-index: 2147483647 !important; display: block !important;";
    const root: ShadowRoot | HTMLElement = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    const style = doc.createElement("style");
    style.textContent = STYLE;
    const backdrop = doc.createElement("div");
    backdrop.className = "backdrop";
    const dialog = doc.createElement("div");
    dialog.className = "dialog";
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-label", "Buy tickets");
    const iframe = doc.createElement("iframe");
    iframe.title = "Buy tickets";
    iframe.setAttribute("allow", "payment");
    iframe.src = `${origin}/portal/${slug.split("/").map(encodeURIComponent).join("/")}?embed=1`;
    dialog.appendChild(iframe);
    backdrop.appendChild(dialog);
    root.appendChild(style);
    root.appendChild(backdrop);
    backdrop.addEventListener("click", (e) => {
      if (e.target === backdrop) close();
    });
    const overflow = doc.documentElement.style.overflow;
    doc.documentElement.style.overflow = "hidden";
    doc.body.appendChild(host);
    open = { host, iframe, opener, overflow };
    iframe.addEventListener("load", () => iframe.focus());
    iframe.focus();
  }

  const onClick = (e: MouseEvent) => {
    const target = e.target as Element | null;
    const el = target?.closest?.("[data-sellout-event]") as HTMLElement | null | undefined;
    if (!el) return;
    e.preventDefault();
    openSlug(el.getAttribute("data-sellout-event") ?? "", el);
  };

  const onKey = (e: KeyboardEvent) => {
    if (open && e.key === "Escape") close();
  };

  const onMessage = (e: MessageEvent) => {
    if (!open || e.origin !== origin || e.source !== open.iframe.contentWindow) return;
    const data: unknown = e.data;
    if (!isPortalMessage(data)) return;
    switch (data.type) {
      case "sellout:resize": {
        const height = Number(data.height);
        if (Number.isFinite(height) && height > 0)
          open.iframe.style.height = `${Math.min(Math.ceil(height), win.innerHeight - MARGIN)}px`;
        break;
      }
      case "sellout:close":
        close();
        break;
      case "sellout:completed":
        win.dispatchEvent(
          new CustomEvent("sellout:completed", {
            detail: { event: data.event, orderId: data.orderId, number: data.number },
          }),
        );
        break;
    }
  };

  doc.addEventListener("click", onClick);
  doc.addEventListener("keydown", onKey);
  win.addEventListener("message", onMessage);

  return {
    origin,
    open: (slug: string) => openSlug(slug, doc.activeElement instanceof HTMLElement ? doc.activeElement : null),
    close,
    uninstall() {
      close();
      doc.removeEventListener("click", onClick);
      doc.removeEventListener("keydown", onKey);
      win.removeEventListener("message", onMessage);
    },
  };
}
