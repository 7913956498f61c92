// Lighthouse (mobile: a mid-range phone on slow 4G, simulated) on the pages issue 24
// names: the client dashboard, an intake page and the CE priority list, signed in as
// the demo user who uses each.
//
//   npm install --prefix bench           (once: Lighthouse, kept out of `make test`)
//   node bench/lighthouse.mjs [base URL] [simulate|devtools]
//                                        (default http://127.0.0.1:3000, simulate)
//
// `simulate` (Lighthouse's default) loads the page at full speed and estimates the slow
// link from that trace; `devtools` loads it through the slow link itself (150 ms round
// trip, 1.6 Mbit/s, CPU 4× slower, Lighthouse's mobile figures), as page-weight.mjs does.
// Against a server on this machine the two differ for Largest Contentful Paint: loaded
// at full speed, the page's wasm modules arrive before its first paint, and the
// simulation counts them as needed for it (docs/PERFORMANCE.md).
//
// Against a running release build serving the demo (`make run`). Chromium from Debian
// (`CHROME_PATH`, default /usr/bin/chromium). Prints, per page, the Performance,
// Accessibility and Best-practices scores and the metrics behind Performance; results go
// to docs/PERFORMANCE.md.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const base = (process.argv[2] ?? "http://127.0.0.1:3000").replace(/\/$/, "");
const throttling = process.argv[3] ?? "simulate";
if (!["simulate", "devtools"].includes(throttling)) throw new Error(`throttling: simulate or devtools, not ${throttling}`);
const password = "Demo-pass-2026";
const lighthouse = join(dirname(fileURLToPath(import.meta.url)), "node_modules", ".bin", "lighthouse");
const out = mkdtempSync(join(tmpdir(), "hearth-lighthouse-"));

/** The session cookie of `username`, as the sign-in form sets it. */
async function cookieOf(username) {
  const response = await fetch(`${base}/api/login`, {
    method: "POST",
    body: new URLSearchParams({ username, password }),
    headers: { Accept: "application/json" },
    redirect: "manual",
  });
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]);
  if (!cookies.length) throw new Error(`sign-in of ${username}: ${response.status}`);
  return cookies.join("; ");
}

/** A client the case manager may open: the first hit of a search by last name "a…". */
async function someClient(cookie) {
  const response = await fetch(`${base}/api/search_clients`, {
    method: "POST",
    body: new URLSearchParams({ q: "a" }),
    headers: { Accept: "application/json", Cookie: cookie },
  });
  const hits = response.ok ? (await response.json()).hits : [];
  if (!hits.length) throw new Error("no demo client found (is this the demo database?)");
  return `/clients/${hits[0].personal_id}`;
}

function audit(name, cookie, path) {
  const report = join(out, `${name.replace(/\W+/g, "-")}.json`);
  execFileSync(
    lighthouse,
    [
      `${base}${path}`,
      "--quiet",
      "--output=json",
      `--output-path=${report}`,
      "--only-categories=performance,accessibility,best-practices",
      `--throttling-method=${throttling}`,
      `--extra-headers=${JSON.stringify({ Cookie: cookie })}`,
      "--chrome-flags=--headless=new --no-sandbox --disable-dev-shm-usage --disable-gpu",
    ],
    { env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? "/usr/bin/chromium" }, stdio: "inherit" },
  );
  return JSON.parse(readFileSync(report, "utf8"));
}

const casemanager = await cookieOf("casemanager");
const plm = await cookieOf("plm");
const pages = [
  ["Client dashboard", casemanager, await someClient(casemanager)],
  ["Intake", casemanager, "/intake"],
  ["Priority list", plm, "/coordinated-entry"],
];
const score = (r, c) => Math.round(r.categories[c].score * 100);
const metric = (r, id) => r.audits[id].displayValue.replace(/\u00a0/g, " ");
console.log(`Lighthouse against ${base}, throttling ${throttling} (${new Date().toISOString().slice(0, 10)})\n`);
console.log("| Page | Performance | Accessibility | Best practices | FCP | LCP | TBT | Speed index |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
for (const [name, cookie, path] of pages) {
  const r = audit(name, cookie, path);
  console.log(
    `| ${name} | ${score(r, "performance")} | ${score(r, "accessibility")} | ${score(r, "best-practices")} | ` +
      `${metric(r, "first-contentful-paint")} | ${metric(r, "largest-contentful-paint")} | ` +
      `${metric(r, "total-blocking-time")} | ${metric(r, "speed-index")} |`,
  );
}
console.log(`\nFull reports: ${out}`);
