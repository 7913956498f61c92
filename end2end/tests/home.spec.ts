import { test, expect, signIn, waitForHydration } from "./fixtures";

test.beforeEach(async ({ page, javaScriptEnabled }) => {
  await signIn(page, "casemanager", javaScriptEnabled !== false);
});

test.describe("home page", () => {
  test("shows the CoC read from the database and, to an HMIS admin, re-checks it through a server function", async ({ page, gotoPage }) => {
    // A case manager's home has the CoC and the day, not the system's state.
    await gotoPage("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hearth Continuum of Care");
    await expect(page.getByTestId("coc-today")).toBeVisible();
    await expect(page.getByRole("heading", { name: "System status" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Check database again" })).toHaveCount(0);

    await page.context().clearCookies();
    await signIn(page, "admin");
    await gotoPage("/");
    await expect(page.getByTestId("database-backend")).toHaveText("SQLite");
    const checkedAt = page.getByTestId("checked-at");
    const before = await checkedAt.textContent();

    const serverCall = page.waitForResponse((r) => r.url().endsWith("/api/system_status") && r.status() === 200);
    await page.getByRole("button", { name: "Check database again" }).click();
    await serverCall;

    // Updated in place by the hydrated page: same document, new answer.
    await expect(checkedAt).not.toHaveText(before ?? "");
    await expect(page.getByRole("button", { name: "Check database again" })).toBeEnabled();
  });

  test("renders on the server and its form works without JavaScript @nojs", async ({ page, gotoPage, javaScriptEnabled }) => {
    await page.context().clearCookies();
    await signIn(page, "admin", javaScriptEnabled !== false);
    await gotoPage("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hearth Continuum of Care");
    await expect(page.getByTestId("coc-today")).toHaveText(/\w+day, \w+ \d{1,2}, \d{4}/);
    const before = await page.getByTestId("checked-at").textContent();
    await page.getByRole("button", { name: "Check database again" }).click();
    await expect(page).toHaveURL(/\/\??$/);
    await expect(page.getByTestId("checked-at")).not.toHaveText(before ?? "");
  });
});

test.describe("app shell", () => {
  test("a page whose code cannot be downloaded says so, and loads when tried again", async ({ page, gotoPage, expectedProblems }) => {
    await gotoPage("/");
    // The connection drops: every module of the next page's code fails to download.
    const modules = /\/pkg\/.*\.wasm$/;
    await page.route(modules, (route) => route.fulfill({ status: 503, body: "" }));
    expectedProblems.push(/status of 503/, /Failed to execute 'compile' on 'WebAssembly': HTTP status code is not ok/);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
    await expect(page.getByRole("alert")).toContainText("This page could not be loaded.");
    await expect(page).toHaveURL(/\/reports$/);

    // The header still works (the app did not stop), and "Try again" loads the page.
    await page.unroute(modules);
    await page.getByRole("link", { name: "Try again" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Reports");
    await waitForHydration(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Clients" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Clients");
  });

  test("a bar runs along the top of the screen while the next page loads", async ({ page, gotoPage }) => {
    await gotoPage("/");
    const bar = page.locator(".route-progress");
    const main = page.getByRole("main");
    const barWidth = () => bar.evaluate((e) => e.getBoundingClientRect().width);
    expect(await barWidth()).toBe(0);
    // A slow link: the next page's code and data take a second and a half to arrive.
    await page.route(/\/(api|pkg)\//, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
    await expect.poll(barWidth).toBeGreaterThan(0);
    await expect(main).toHaveAttribute("aria-busy", "true");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Reports");
    await expect.poll(barWidth).toBe(0);
    await expect(main).not.toHaveAttribute("aria-busy", "true");
  });

  test("navigation reaches every area @nojs", async ({ page, gotoPage }) => {
    await gotoPage("/");
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Clients" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Clients");
    await expect(page.getByRole("link", { name: "Intake" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Clients" })).toHaveAttribute("aria-current", "page");
    for (const [area, heading] of [
      ["Annual Assessments", "Annual Assessment Tool"],
      ["Reports", "Reports"],
    ]) {
      await nav.getByRole("link", { name: area }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
      await expect(nav.getByRole("link", { name: area })).toHaveAttribute("aria-current", "page");
    }
    await expect(page.getByRole("link", { name: "Client Milestone Age Status" })).toBeVisible();
    await nav.getByRole("link", { name: "Coordinated Entry" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Coordinated Entry — Priority List");
    // The list is for the Coordinated Entry organization; others are told whom to ask.
    await expect(page.getByTestId("priority-forbidden")).toContainText("ask your priority list manager");
    await expect(nav.getByRole("link", { name: "Coordinated Entry" })).toHaveAttribute("aria-current", "page");
    await nav.getByRole("link", { name: "Admin" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Admin");
    await page.getByRole("link", { name: "Hearth" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hearth Continuum of Care");
  });

  test.describe(() => {
    test("unknown addresses show a 404 page with a way home @nojs", async ({ page }) => {
      const response = await page.goto("/no/such/page");
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
      await page.getByRole("link", { name: "Go to the home page" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hearth Continuum of Care");
    });
  });

  test("the layout fits a tablet without sideways scrolling", async ({ page, gotoPage }) => {
    // The HMIS admin's home: it has the most on it (the system status and its button).
    await page.context().clearCookies();
    await signIn(page, "admin");
    await gotoPage("/");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const button = page.getByRole("button", { name: "Check database again" });
    const box = await button.boundingBox();
    expect(box?.height).toBeGreaterThanOrEqual(44);
  });
});
