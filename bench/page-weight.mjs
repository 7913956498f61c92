// Page weight and time to a working page, as a tablet on a cellular link gets them.
//
//   node bench/page-weight.mjs [base URL]      (default http://127.0.0.1:3000)
//
// Against a running `hearth serve --demo` (`make run`). For each page it opens a new
// browser context (an empty cache), signs in as the demo user who uses that page,
// then loads the page twice: on this machine's link and CPU, and on "slow 4G" (150 ms
// round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU 4× slower). It prints, per page,
// the bytes transferred (as sent: compressed where the server compresses), the wasm
// and JavaScript among them, and the time from navigation to hydration (the page
// answers taps). Results go to docs/PERFORMANCE.md.
import { chromium } from "../end2end/node_modules/@playwright/test/index.mjs";

const base = (process.argv[2] ?? "http://127.0.0.1:3000").replace(/\/$/, "");
const password = "Demo-pass-2026";
const slow4g = { latency: 150, downloadThroughput: (1.6e6 / 8) * 0.9, uploadThroughput: (750e3 / 8) * 0.9 };

async function signedIn(browser, username) {
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: 768, height: 1024 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  const login = await context.request.post("/api/login", {
    form: { username, password },
    headers: { Accept: "application/json" },
  });
  if (!login.ok()) throw new Error(`sign-in of ${username}: ${login.status()}`);
  return context;
}

/** A client the case manager may open: the first hit of a search by last name "a…". */
async function someClient(browser) {
  const context = await signedIn(browser, "casemanager");
  const found = await context.request.post("/api/search_clients", {
    form: { q: "a" },
    headers: { Accept: "application/json" },
  });
  const hits = found.ok() ? (await found.json()).hits : [];
  await context.close();
  if (!hits.length) throw new Error("no demo client found (is this the demo database?)");
  return `/clients/${hits[0].personal_id}`;
}

async function measure(browser, username, path, throttled) {
  const context = await signedIn(browser, username);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  if (throttled) {
    await cdp.send("Network.emulateNetworkConditions", { offline: false, ...slow4g });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  }
  const types = new Map();
  const bytes = { all: 0, code: 0, requests: 0 };
  cdp.on("Network.responseReceived", (e) => types.set(e.requestId, e.response.mimeType));
  cdp.on("Network.loadingFinished", (e) => {
    bytes.all += e.encodedDataLength;
    bytes.requests += 1;
    const type = types.get(e.requestId) ?? "";
    if (/wasm|javascript/.test(type)) bytes.code += e.encodedDataLength;
  });
  const started = Date.now();
  await page.goto(path, { waitUntil: "commit" });
  await page.locator("html[data-hydrated=true]").waitFor({ timeout: 120_000 });
  const hydrated = Date.now() - started;
  await page.waitForLoadState("networkidle");
  await context.close();
  return { ...bytes, hydrated };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
});
try {
  const client = await someClient(browser);
  const pages = [
    ["Client dashboard", "casemanager", client],
    ["Home", "casemanager", "/"],
    ["Intake (first step)", "casemanager", "/intake"],
    ["Priority list", "plm", "/coordinated-entry"],
  ];
  const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
  console.log(`Page weight and time to hydration against ${base} (${new Date().toISOString().slice(0, 10)})\n`);
  console.log("| Page | Requests | Transferred | wasm + JS | Hydrated (this machine) | Hydrated (slow 4G, 4× CPU) |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const [name, user, path] of pages) {
    const fast = await measure(browser, user, path, false);
    const slow = await measure(browser, user, path, true);
    console.log(
      `| ${name} | ${fast.requests} | ${kb(fast.all)} | ${kb(fast.code)} | ${(fast.hydrated / 1000).toFixed(1)} s | ${(slow.hydrated / 1000).toFixed(1)} s |`,
    );
  }
} finally {
  await browser.close();
}
