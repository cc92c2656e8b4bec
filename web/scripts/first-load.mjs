// The portal's first load in headless Chromium, as a buyer's first visit:
//   node web/scripts/first-load.mjs <event page URL> [runs]
// Each run is a fresh browser context (empty cache). Prints one JSON line:
// the JavaScript and CSS bytes on the wire (compressed, as served) and
// decoded, the request count, and the median and worst times (ms) to
// DOMContentLoaded, to load, and to interactive: the page's heading shown
// and its first ticket control enabled. Chromium is the system's
// (/usr/bin/chromium, or $CHROMIUM).
import { chromium } from "playwright-core";

const url = process.argv[2];
const runs = Number(process.argv[3] ?? 5);
if (!url) {
  console.error("usage: node web/scripts/first-load.mjs <event page URL> [runs]");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
  ],
});

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const samples = [];
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    const types = new Map();
    const wire = { js: 0, css: 0, other: 0 };
    const decoded = { js: 0, css: 0 };
    let requests = 0;
    cdp.on("Network.responseReceived", (e) => types.set(e.requestId, e.type));
    cdp.on("Network.dataReceived", (e) => {
      const t = types.get(e.requestId);
      if (t === "Script") decoded.js += e.dataLength;
      if (t === "Stylesheet") decoded.css += e.dataLength;
    });
    cdp.on("Network.loadingFinished", (e) => {
      requests += 1;
      const t = types.get(e.requestId);
      const key = t === "Script" ? "js" : t === "Stylesheet" ? "css" : "other";
      wire[key] += e.encodedDataLength;
    });
    const started = Date.now();
    await page.goto(url, { waitUntil: "load" });
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    await page.locator("main input:enabled, main button:enabled, main select:enabled").first().waitFor();
    const interactive = Date.now() - started;
    const timing = await page.evaluate(() => {
      const [nav] = performance.getEntriesByType("navigation");
      return { dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd };
    });
    samples.push({ wire, decoded, requests, interactive, ...timing });
    await context.close();
  }
} finally {
  await browser.close();
}

const last = samples[samples.length - 1];
console.log(
  JSON.stringify({
    url,
    runs,
    js_wire_bytes: last.wire.js,
    css_wire_bytes: last.wire.css,
    js_decoded_bytes: last.decoded.js,
    css_decoded_bytes: last.decoded.css,
    requests: last.requests,
    dom_content_loaded_ms: { median: Math.round(median(samples.map((s) => s.dcl))) },
    load_ms: { median: Math.round(median(samples.map((s) => s.load))) },
    interactive_ms: {
      median: median(samples.map((s) => s.interactive)),
      max: Math.max(...samples.map((s) => s.interactive)),
    },
  }),
);
