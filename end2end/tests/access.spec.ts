import { test, expect, signIn, waitForHydration, createCaseManager } from "./fixtures";

test.describe("signing in", () => {
  test("sign in, choose a context, see it in the header, set and clear a back date, sign out @nojs", async ({ page, javaScriptEnabled }) => {
    const js = javaScriptEnabled !== false;
    // "multi" has three access rows, so Hearth asks which context to work in.
    await signIn(page, "multi", js);
    await expect(page).toHaveURL(/\/settings$/);
    await expect(page.getByTestId("current-context")).toHaveText("Choose a context");

    await page.getByLabel(/Supervisor · Northside Street Outreach/).check();
    await page.getByRole("button", { name: "Use this context" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId("current-context")).toHaveText("Supervisor · Northside Street Outreach");

    // An optional location: one of the organization's projects, shown with the context.
    await page.getByRole("link", { name: "Settings for Morgan Ellis" }).click();
    await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
    if (js) await waitForHydration(page);
    await page.getByLabel("Working at").selectOption({ label: "Northside Night Shelter" });
    await page.getByRole("button", { name: "Use this location" }).click();
    await expect(page.getByTestId("current-context")).toHaveText("Supervisor · Northside Street Outreach · Northside Night Shelter");
    if (js) await waitForHydration(page);

    // Back Date mode, from the settings panel behind the user's initials.
    await page.getByLabel("Back date").fill("2026-11-02");
    await page.getByRole("button", { name: "Set back date" }).click();
    await expect(page.getByTestId("back-date-banner")).toContainText("November 2, 2026");
    await page.getByRole("link", { name: "Hearth", exact: true }).click();
    await expect(page.getByTestId("back-date-banner")).toContainText("November 2, 2026");

    await page.getByRole("link", { name: "Settings for Morgan Ellis" }).click();
    if (js) await waitForHydration(page);
    await page.getByRole("button", { name: "Clear back date" }).click();
    await expect(page.getByTestId("back-date-current")).toHaveCount(0);
    await expect(page.getByTestId("back-date-banner")).toHaveCount(0);

    if (js) await waitForHydration(page);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);
  });

  test("a back date in the future is refused next to the field @nojs", async ({ page, javaScriptEnabled }) => {
    const js = javaScriptEnabled !== false;
    await signIn(page, "supervisor", js);
    await page.getByRole("link", { name: /Settings for/ }).click();
    if (js) await waitForHydration(page);
    await page.getByLabel("Back date").fill("2099-01-01");
    await page.getByRole("button", { name: "Set back date" }).click();
    await expect(page.getByText("The back date cannot be in the future.")).toBeVisible();
    await expect(page.getByTestId("back-date-banner")).toHaveCount(0);
  });

  test("five wrong passwords lock the account @nojs", async ({ page, request, javaScriptEnabled }, testInfo) => {
    const js = javaScriptEnabled !== false;
    // Each project locks a user of its own, so no other test finds a demo user locked.
    const username = `e2e_lock_${testInfo.project.name.replace(/\W/g, "")}`;
    await createCaseManager(request, username);
    await page.goto("/login");
    for (let attempt = 1; attempt <= 5; attempt++) {
      if (js) await waitForHydration(page);
      await page.getByLabel("Username").fill(username);
      await page.getByLabel("Password").fill(`Wrong-${attempt}-pass`);
      await page.getByRole("button", { name: "Sign in" }).click();
      const expected = attempt < 5 ? "Username or password is incorrect." : /locked for 15 minutes/;
      await expect(page.getByRole("alert")).toHaveText(expected);
    }
    if (js) await waitForHydration(page);
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill("Temporary-42");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toHaveText(/locked/);
    await expect(page).toHaveURL(/\/login/);
  });
});
