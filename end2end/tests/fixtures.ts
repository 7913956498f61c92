import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";
import { createHmac } from "node:crypto";

/**
 * Every test fails on a console error or a failed request it did not expect (a test
 * that makes one on purpose names it in `expectedProblems`), and gets `gotoPage`, which
 * waits for hydration (when JavaScript is on) before the test interacts: clicks sent
 * before hydration would be lost.
 */
export const test = base.extend<{
  expectedProblems: RegExp[];
  guard: void;
  gotoPage: (path: string) => Promise<void>;
}>({
  expectedProblems: async ({}, use) => {
    await use([]);
  },
  guard: [
    async ({ page, javaScriptEnabled, expectedProblems }, use) => {
      const problems: string[] = [];
      page.on("console", (msg) => {
        // A server function refusing bad input answers 4xx, which Chromium logs; the
        // test checks the message the person sees instead. 5xx is always a fault.
        const clientError = /Failed to load resource: the server responded with a status of 4\d\d/;
        if (msg.type() === "error" && !clientError.test(msg.text())) {
          problems.push(`console error: ${msg.text()}`);
        }
      });
      page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
      page.on("requestfailed", (req) => {
        const failure = req.failure()?.errorText ?? "";
        // A navigation that replaces an in-flight request aborts it; that is not a fault.
        if (failure.includes("ERR_ABORTED")) return;
        // With JavaScript off, Chromium blocks the hydration script preloads by policy.
        if (javaScriptEnabled === false && failure === "csp" && req.url().endsWith(".js")) return;
        problems.push(`request failed: ${req.url()} ${failure}`);
      });
      await use();
      const unexpected = problems.filter((p) => !expectedProblems.some((expected) => expected.test(p)));
      expect(unexpected, "no console errors or failed requests").toEqual([]);
    },
    { auto: true },
  ],
  gotoPage: async ({ page, javaScriptEnabled }, use) => {
    await use(async (path: string) => {
      await page.goto(path);
      if (javaScriptEnabled !== false) await waitForHydration(page);
    });
  },
});

export const DEMO_PASSWORD = "Demo-pass-2026";

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page: Page, username: string, javaScriptEnabled = true) {
  await page.goto("/login");
  if (javaScriptEnabled) await waitForHydration(page);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("link", { name: /Settings for/ })).toBeVisible();
  if (javaScriptEnabled) await waitForHydration(page);
}

export async function waitForHydration(page: Page) {
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
}

const json = { Accept: "application/json" };

/** Precondition, set up through the API: a new case manager with a temporary password. */
export async function createCaseManager(request: APIRequestContext, username: string) {
  const login = await request.post("/api/login", { form: { username: "admin", password: DEMO_PASSWORD }, headers: json });
  expect(login.ok()).toBeTruthy();
  const options = await (await request.post("/api/user_form_options", { headers: json })).json();
  const riverside = options.organizations.find(
    (o: { organization_name: string }) => o.organization_name === "Riverside Family Shelter",
  );
  const created = await request.post("/api/create_user", {
    headers: json,
    form: {
      username,
      first_name: "Taylor",
      last_name: "Quinn",
      organization_id: riverside.organization_id,
      workgroup: "case_manager",
      temporary_password: "Temporary-42",
    },
  });
  expect(created.ok()).toBeTruthy();
}

export { expect };

/** The current code of a TOTP authenticator (RFC 6238: SHA-1, 6 digits, 30 s) for a base32 key. */
export function totpCode(base32Key: string, atMillis = Date.now()): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of base32Key.replace(/[\s=]/g, "").toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  }
  const key: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) key.push(parseInt(bits.slice(i, i + 8), 2));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMillis / 1000 / 30)));
  const mac = createHmac("sha1", Buffer.from(key)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString().padStart(6, "0");
}
