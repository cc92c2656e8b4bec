// Prints the gzip-compressed size of the JavaScript that dist/index.html
// loads at first (its module scripts, their modulepreloads and, following
// their static imports, every chunk those import), and fails when it is
// over the budget.
//   node web/scripts/size.mjs [--budget=150]   (kB, 1 kB = 1000 bytes)
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, posix, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, "..", "dist");
const BASE = "/portal/";
const budgetArg = process.argv.find((a) => a.startsWith("--budget="));
const budgetKb = budgetArg ? Number(budgetArg.slice("--budget=".length)) : 150;

/** The file under dist/ an address of the page names (`/portal/assets/x.js`, `./x.js`, `assets/x.js`). */
export function fileOf(ref, fromFile = "index.html") {
  let p = ref.split(/[?#]/)[0];
  if (p.startsWith(BASE)) p = p.slice(BASE.length);
  else if (p.startsWith("/")) p = p.slice(1);
  else p = posix.join(posix.dirname(fromFile), p);
  return posix.normalize(p);
}

/** Module scripts and modulepreloads of an HTML page. */
export function entriesOf(html) {
  const out = [];
  for (const m of html.matchAll(/<script\b[^>]*\btype=["']module["'][^>]*\bsrc=["']([^"']+)["'][^>]*>/g))
    out.push(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*\brel=["']modulepreload["'][^>]*\bhref=["']([^"']+)["'][^>]*>/g))
    out.push(m[1]);
  return out;
}

/** Static imports of a (minified) ES module: `import … from "./x.js"`, `import "./x.js"`, `export … from "./x.js"`; not `import()`. */
export function staticImportsOf(code) {
  const out = [];
  for (const m of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g))
    out.push(m[1]);
  return out;
}

function main() {
  const indexPath = join(dist, "index.html");
  if (!existsSync(indexPath)) {
    console.error(`no ${indexPath}: run npm run build -w web first`);
    process.exit(2);
  }
  const seen = new Map();
  const queue = entriesOf(readFileSync(indexPath, "utf8")).map((r) => fileOf(r));
  while (queue.length) {
    const file = queue.shift();
    if (seen.has(file) || !file.endsWith(".js")) continue;
    const code = readFileSync(join(dist, file));
    seen.set(file, { raw: code.length, gzip: gzipSync(code, { level: 9 }).length });
    for (const ref of staticImportsOf(code.toString("utf8"))) queue.push(fileOf(ref, file));
  }
  let raw = 0;
  let gzip = 0;
  for (const [file, s] of seen) {
    raw += s.raw;
    gzip += s.gzip;
    console.log(`${file}  ${(s.raw / 1000).toFixed(1)} kB, gzip ${(s.gzip / 1000).toFixed(1)} kB`);
  }
  const over = gzip > budgetKb * 1000;
  console.log(
    `first load: ${seen.size} JS file(s), ${(raw / 1000).toFixed(1)} kB, gzip ${(gzip / 1000).toFixed(1)} kB (budget ${budgetKb} kB)${over ? ": OVER BUDGET" : ""}`,
  );
  process.exit(over ? 1 : 0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
