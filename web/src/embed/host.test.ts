import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { install, type Installed } from "./host";

const GATEWAY = "https://tickets.example.com";

let embed: Installed;

function overlay(): HTMLElement | null {
  return document.querySelector("[data-sellout-overlay]");
}

function frame(): HTMLIFrameElement {
  const f = overlay()?.shadowRoot?.querySelector("iframe");
  if (!f) throw new Error("no iframe");
  return f;
}

function post(data: unknown, { origin = GATEWAY, source }: { origin?: string; source?: Window | null } = {}) {
  window.dispatchEvent(
    new MessageEvent("message", { data, origin, source: source === undefined ? frame().contentWindow : source }),
  );
}

beforeEach(() => {
  document.body.innerHTML = `<button data-sellout-event="acme/show">Buy tickets</button><p>host page</p>`;
  embed = install(window, `${GATEWAY}/embed.js`);
});

afterEach(() => {
  embed.uninstall();
  document.body.innerHTML = "";
});

describe("embed.js", () => {
  it("takes the gateway's origin from its own address", () => {
    expect(embed.origin).toBe(GATEWAY);
  });

  it("opens the portal in an overlay when a button is clicked", () => {
    const button = document.querySelector("button") as HTMLButtonElement;
    button.click();
    const host = overlay();
    expect(host).not.toBeNull();
    expect(host?.style.position).toBe("fixed");
    expect(Number(host?.style.zIndex)).toBeGreaterThan(1000);
    const iframe = frame();
    expect(iframe.title).toBe("Buy tickets");
    expect(iframe.getAttribute("allow")).toBe("payment");
    expect(iframe.src).toBe(`${GATEWAY}/portal/acme/show?embed=1`);
    expect(host?.shadowRoot?.querySelector('[role="dialog"]')?.getAttribute("aria-modal")).toBe("true");
  });

  it("binds buttons added later too", () => {
    const later = document.createElement("a");
    later.setAttribute("data-sellout-event", "acme/late-show");
    later.innerHTML = "<span>Tickets</span>";
    document.body.appendChild(later);
    (later.firstChild as HTMLElement).click();
    expect(frame().src).toBe(`${GATEWAY}/portal/acme/late-show?embed=1`);
  });

  it("ignores messages from other origins and other windows", () => {
    (document.querySelector("button") as HTMLButtonElement).click();
    post({ type: "sellout:close" }, { origin: "https://evil.example" });
    expect(overlay()).not.toBeNull();
    post({ type: "sellout:close" }, { source: window });
    expect(overlay()).not.toBeNull();
    post({ type: "something-else" });
    expect(overlay()).not.toBeNull();
  });

  it("dispatches sellout:completed on the page's window and keeps the overlay open", () => {
    (document.querySelector("button") as HTMLButtonElement).click();
    const seen = vi.fn();
    window.addEventListener("sellout:completed", seen);
    post({ type: "sellout:completed", event: "acme/show", orderId: "o-1", number: "SO-ABCDEFGH" });
    expect(seen).toHaveBeenCalledTimes(1);
    expect((seen.mock.calls[0]?.[0] as CustomEvent).detail).toEqual({
      event: "acme/show",
      orderId: "o-1",
      number: "SO-ABCDEFGH",
    });
    post(
      { type: "sellout:completed", event: "acme/show", orderId: "o-2", number: "SO-X" },
      { origin: "https://evil.example" },
    );
    expect(seen).toHaveBeenCalledTimes(1);
    window.removeEventListener("sellout:completed", seen);
    expect(overlay()).not.toBeNull();
  });

  it("sizes the iframe to the portal, at most the viewport", () => {
    (document.querySelector("button") as HTMLButtonElement).click();
    post({ type: "sellout:resize", height: 500 });
    expect(frame().style.height).toBe("500px");
    post({ type: "sellout:resize", height: 100_000 });
    expect(frame().style.height).toBe(`${window.innerHeight - 32}px`);
  });

  it("closes on the portal's word, on Escape and on the backdrop, giving focus back to the button", () => {
    const button = document.querySelector("button") as HTMLButtonElement;
    button.focus();
    button.click();
    post({ type: "sellout:close" });
    expect(overlay()).toBeNull();
    expect(document.activeElement).toBe(button);

    button.click();
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(overlay()).toBeNull();

    button.click();
    (overlay()?.shadowRoot?.querySelector(".backdrop") as HTMLElement).click();
    expect(overlay()).toBeNull();
  });

  it("opens and closes through window.Sellout's functions", () => {
    embed.open("acme/show");
    expect(frame().src).toBe(`${GATEWAY}/portal/acme/show?embed=1`);
    embed.close();
    expect(overlay()).toBeNull();
  });

  it("refuses what is not an event slug", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    embed.open("../../admin");
    expect(overlay()).toBeNull();
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });
});
