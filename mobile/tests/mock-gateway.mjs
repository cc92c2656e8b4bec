// A stand-in gateway for smoke-testing browser.mjs without the Rust stack: NOT what the real
// browser tests run against (the e2e harness starts the real gateway and writes the fixture).
//   npm run build && node mobile/tests/mock-gateway.mjs /tmp/mock   # prints the fixture path
// Serves mobile/dist at /scanner/, a small in-memory GraphQL at /graphql (no subscriptions) and
// a mailpit-like API; signs 3 tickets with a fresh key and draws their QR PNGs (zxing-wasm).
import * as ed from "@noble/ed25519";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { extname, join, resolve } from "node:path";
import { randomUUID } from "node:crypto";
import { base45Encode, seenKey, verifyTicket } from "@sellout/scanner/verify";
import { prepareZXingModule, writeBarcode } from "zxing-wasm/writer";

ed.hashes.sha512 = sha512;
const require = createRequire(import.meta.url);
const out = resolve(process.argv[2] ?? "/tmp/sellout-mock");
mkdirSync(join(out, "shots"), { recursive: true });
const dist = resolve(import.meta.dirname, "../dist");
prepareZXingModule({
  overrides: {
    wasmBinary: (await import("node:fs")).readFileSync(require.resolve("zxing-wasm/writer/zxing_writer.wasm")),
  },
});

const hex = (b) => Buffer.from(b).toString("hex");
const EVENT = "demo/festival";
const EVENT_UID = randomUUID();
const secret = ed.utils.randomSecretKey();
const now = Date.now();
const kit = {
  eventUid: EVENT_UID,
  keys: [{ keyId: 1, publicKey: hex(ed.getPublicKey(secret)) }],
  days: [
    {
      day: 1,
      doorsAt: new Date(now).toISOString(),
      startsAt: new Date(now + 3600e3).toISOString(),
      endsAt: new Date(now + 6 * 3600e3).toISOString(),
      scanFrom: new Date(now - 3600e3).toISOString(),
      scanUntil: new Date(now + 12 * 3600e3).toISOString(),
    },
  ],
  tiers: [
    {
      name: "general",
      displayName: "General admission",
      hash: hex(sha256(Buffer.from("general")).slice(0, 4)),
      addOn: false,
    },
  ],
  gates: [],
  revoked: [],
  asOf: new Date(now).toISOString(),
};

function sign(ticketId) {
  const body = new Uint8Array(43);
  body[0] = 1;
  body[1] = 1;
  body.set(Buffer.from(EVENT_UID.replace(/-/g, ""), "hex"), 2);
  body.set(Buffer.from(ticketId.replace(/-/g, ""), "hex"), 18);
  body.set(sha256(Buffer.from("general")).slice(0, 4), 34);
  body[41] = 1;
  body[42] = 1;
  return base45Encode(new Uint8Array([...body, ...ed.sign(body, secret)]));
}

const tickets = [];
for (let i = 0; i < 3; i++) {
  const code = sign(randomUUID());
  const qr = await writeBarcode(code, { format: "QRCode", ecLevel: "M", scale: 8 });
  const qrPng = join(out, `ticket-${i}.png`);
  writeFileSync(qrPng, Buffer.from(await qr.image.arrayBuffer()));
  tickets.push({ code, qrPng });
}

const mails = [];
const codes = new Map();
const tokens = new Map();
const admissions = new Map();
const scans = new Map();
const conflicts = [];
const tokenPair = (email) => {
  const accessToken = randomUUID();
  const refreshToken = randomUUID();
  tokens.set(accessToken, email);
  tokens.set(`r:${refreshToken}`, email);
  return {
    accessToken,
    refreshToken,
    accessTokenExpiresAt: new Date(Date.now() + 15 * 60e3).toISOString(),
    refreshTokenExpiresAt: new Date(Date.now() + 30 * 86400e3).toISOString(),
  };
};

function decide(v, at, device, staff) {
  const a = verifyTicket(v.code, kit, at, v.gate, admissions, { device, staff });
  if (a.outcome === "ADMITTED" && a.standing)
    admissions.set(seenKey(a.ticketId, a.day), { ...a.standing, offline: false });
  return { ...a, holderName: a.ticketId ? "Ada Lovelace" : null };
}

const resolvers = {
  RequestLoginCode: ({ email }) => {
    const code = String(Math.floor(100000 + Math.random() * 900000));
    codes.set(email, code);
    mails.unshift({
      ID: randomUUID(),
      To: [{ Address: email }],
      Created: new Date().toISOString(),
      Text: `Your code: ${code}`,
    });
    return { requestLoginCode: { channel: "EMAIL", expiresInSeconds: 600 } };
  },
  Login: ({ email, code }) => {
    if (codes.get(email) !== code) throw Object.assign(new Error("wrong code"), { code: "WRONG_CODE" });
    codes.delete(email);
    return { login: tokenPair(email) };
  },
  Refresh: ({ refreshToken }) => {
    const email = tokens.get(`r:${refreshToken}`);
    if (!email) throw Object.assign(new Error("bad token"), { code: "BAD_TOKEN" });
    tokens.delete(`r:${refreshToken}`);
    return { refresh: tokenPair(email) };
  },
  ScanDays: () => ({
    scanDays: [
      { event: EVENT, title: "Demo Festival", venue: "The Park", day: 1, ...kit.days[0], checkedIn: admissions.size },
    ],
  }),
  ScannerKit: () => ({ scannerKit: kit }),
  Scan: (v, staff) => {
    const prior = scans.get(v.scanId);
    if (prior) return { scan: { ...prior, retry: true } };
    const a = decide(v, new Date(), v.device, staff);
    scans.set(v.scanId, a);
    return { scan: a };
  },
  SyncScans: ({ device, scans: batch }, staff) => ({
    syncScans: batch.map((s) => {
      if (scans.has(s.scanId)) return { scanId: s.scanId, outcome: "DUPLICATE", answer: scans.get(s.scanId) };
      const a = decide(s, new Date(s.scannedAt), device, staff);
      scans.set(s.scanId, a);
      if (a.outcome === "ADMITTED") return { scanId: s.scanId, outcome: "RECORDED", answer: a };
      conflicts.push({
        scanId: s.scanId,
        ticketId: a.ticketId,
        tier: a.tier ?? "",
        day: s.day,
        gate: s.gate,
        device,
        staff,
        scannedAt: s.scannedAt,
        syncedAt: new Date().toISOString(),
        outcome: a.outcome,
        message: a.message,
        standing: a.standing,
      });
      return { scanId: s.scanId, outcome: "CONFLICT", answer: a };
    }),
  }),
  ScanConflicts: ({ device }) => ({
    scanConflicts: conflicts.filter((c) => !device || c.device === device || c.standing?.device === device),
  }),
};

const TYPES = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".webmanifest": "application/manifest+json",
};
const json = (res, status, body) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

const server = createServer(async (req, res) => {
  const url = new URL(req.url, "http://x");
  if (url.pathname === "/graphql" && req.method === "POST") {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const { query, variables } = JSON.parse(raw);
    const op = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
    const email = tokens.get((req.headers.authorization ?? "").replace(/^Bearer /, ""));
    try {
      if (!resolvers[op]) throw Object.assign(new Error(`unknown operation ${op}`), { code: "BAD_REQUEST" });
      if (!["RequestLoginCode", "Login", "Refresh"].includes(op) && !email)
        throw Object.assign(new Error("sign in"), { code: "UNAUTHENTICATED" });
      json(res, 200, { data: resolvers[op](variables ?? {}, email) });
    } catch (e) {
      json(res, 200, { data: null, errors: [{ message: e.message, extensions: { code: e.code ?? "INTERNAL" } }] });
    }
    return;
  }
  if (url.pathname === "/api/v1/messages") return json(res, 200, { messages: mails });
  const m = /^\/api\/v1\/message\/(.+)$/.exec(url.pathname);
  if (m) return json(res, 200, mails.find((x) => x.ID === m[1]) ?? {});
  if (url.pathname.startsWith("/scanner/")) {
    let file = join(dist, url.pathname.slice("/scanner/".length));
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, "index.html");
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-cache",
    });
    createReadStream(file).pipe(res);
    return;
  }
  res.writeHead(404).end();
});

server.listen(0, "127.0.0.1", () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  const fixture = {
    appUrl: `${base}/scanner/`,
    graphqlUrl: `${base}/graphql`,
    mailpitUrl: base,
    scannerEmail: "scanner@example.com",
    event: EVENT,
    gate: "Main entrance",
    tickets,
    screenshots: join(out, "shots"),
  };
  writeFileSync(join(out, "fixture.json"), JSON.stringify(fixture, null, 2));
  console.log(join(out, "fixture.json"));
});
