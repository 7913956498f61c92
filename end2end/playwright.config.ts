import { defineConfig } from "@playwright/test";

// Hearth's browser tests run in Debian's Chromium (never a downloaded browser) against
// a real `hearth` server started here with a fresh SQLite database.
const port = Number(process.env.HEARTH_E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
// A second server whose sessions time out after 12 idle seconds (idle.spec.ts).
export const shortIdlePort = port + 1;

const chromium = {
  browserName: "chromium" as const,
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-dev-shm-usage",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  },
};

export default defineConfig({
  testDir: "./tests",
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // One retry in CI only: a rare hydration panic in tachys ("entered unreachable code",
  // seen about once in ten full runs on different pages) is being chased; a test that
  // fails twice still fails the run, and Playwright lists retried tests as "flaky".
  retries: process.env.CI ? 1 : 0,
  workers: process.env.CI ? 2 : undefined,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    // The browser lives where the CoC does (the server's zone), as its users do.
    timezoneId: "America/Chicago",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "tablet",
      // Tests tagged @desktop are the desktop's (the priority list managers' work).
      grepInvert: /@nojs-only|@desktop/,
      use: { ...chromium, viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 },
    },
    {
      name: "desktop",
      // Tests tagged @tablet are the tablet's (exits as case managers do them).
      grepInvert: /@nojs-only|@tablet/,
      use: { ...chromium, viewport: { width: 1366, height: 900 } },
    },
    {
      // Pages that must work without JavaScript: server-rendered forms posting to
      // server functions. Tests tagged @nojs run here too.
      name: "no-javascript",
      grep: /@nojs/,
      use: { ...chromium, viewport: { width: 1024, height: 768 }, javaScriptEnabled: false },
    },
  ],
  webServer: [
    {
      command: "../scripts/e2e-server.sh",
      url: `${baseURL}/readyz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { HEARTH_E2E_PORT: String(port) },
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: "../scripts/e2e-server.sh --session-idle-seconds 12",
      url: `http://127.0.0.1:${shortIdlePort}/readyz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { HEARTH_E2E_PORT: String(shortIdlePort) },
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
