import { test as base, expect, type Page } from "@playwright/test";

type Options = {
  /** Console errors a test expects (for example a deliberate 404). */
  allowedConsoleErrors: RegExp[];
};

/**
 * Every test fails on a console error or a failed request it did not expect, and
 * gets `gotoPage`, which waits for hydration (when JavaScript is on) before the test
 * interacts: clicks sent before hydration would be lost.
 */
export const test = base.extend<Options & { guard: void; gotoPage: (path: string) => Promise<void> }>({
  allowedConsoleErrors: [[], { option: true }],
  guard: [
    async ({ page, allowedConsoleErrors, javaScriptEnabled }, use) => {
      const problems: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() === "error" && !allowedConsoleErrors.some((re) => re.test(msg.text()))) {
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
      expect(problems, "no console errors or failed requests").toEqual([]);
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

export async function waitForHydration(page: Page) {
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
}

export { expect };
