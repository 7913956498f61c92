import { type Page } from "@playwright/test";
import { expect, signIn, test, waitForHydration } from "./fixtures";
import { daysAgo, enrollmentAction, intakeByApi, saveAndContinue, step, surname } from "./intake-helpers";

// The supervisor's caseload dashboard: a case manager's counts, a chart's details on
// hover, the drill-down to their clients, and the counts after the case manager exits a
// household. The case manager is "multi" (Morgan Ellis), whose Riverside caseload no
// other test touches. Desktop, but for a tablet's tap on a chart (it only reads).

async function asMorgan(page: Page) {
  await page.context().clearCookies();
  await signIn(page, "multi");
  await page.getByLabel(/Case Manager · Riverside Family Shelter/).check();
  await page.getByRole("button", { name: "Use this context" }).click();
  await expect(page.getByTestId("current-context")).toHaveText("Case Manager · Riverside Family Shelter");
}

async function caseloads(page: Page) {
  await page.context().clearCookies();
  await signIn(page, "supervisor");
  await page.getByTestId("caseloads-card").getByRole("link").click();
  await expect(page.getByRole("heading", { name: "Caseloads", level: 1 })).toBeVisible();
  await waitForHydration(page);
  return page.getByTestId("load-row").filter({ hasText: "Morgan Ellis" });
}

test("@desktop a supervisor sees a case manager's counts change after an exit", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const last = surname(testInfo.project.name, "cl");
  await asMorgan(page);
  const [id] = await intakeByApi(page, last, [["Jules", "1985-07-07", "1"]], "Riverside Family Shelter", daysAgo(12));

  let row = await caseloads(page);
  const before = Number(await row.getByTestId("load-active").textContent());
  expect(before).toBeGreaterThan(0);
  // The chart tells more when a bar is pointed at.
  const bar = page.getByTestId("chart-active").getByTestId("chart-bar").filter({ hasText: "Morgan Ellis" });
  await bar.hover();
  await expect(page.getByTestId("chart-active-detail")).toContainText(`Morgan Ellis: ${before} active clients`);
  // The drill-down lists the household.
  await row.getByRole("link", { name: "Morgan Ellis" }).click();
  await expect(page.getByRole("heading", { name: "Caseload — Morgan Ellis", level: 1 })).toBeVisible();
  await expect(page.getByTestId("caseload-row").filter({ hasText: `Jules ${last}` })).toHaveCount(1);

  // Morgan exits the household (no exit interview).
  await asMorgan(page);
  await page.goto(`/clients/${id}`);
  await waitForHydration(page);
  await enrollmentAction(page, "Exit the Enrollment");
  await step(page, "Exit date and destination");
  await page.getByLabel("Destination", { exact: true }).selectOption({ label: "No exit interview completed" });
  await saveAndContinue(page, `Exit assessment — Jules ${last}`);
  await saveAndContinue(page, "Review and finish");
  await page.getByTestId("finish").click();
  await expect(page.getByTestId("enrollment").first()).toContainText("Exited");

  row = await caseloads(page);
  await expect(row.getByTestId("load-active")).toHaveText(String(before - 1));
  await row.getByRole("link", { name: "Morgan Ellis" }).click();
  await expect(page.getByRole("heading", { name: "Caseload — Morgan Ellis", level: 1 })).toBeVisible();
  await expect(page.getByTestId("caseload-row").filter({ hasText: `Jules ${last}` })).toHaveCount(0);
});

test("@tablet a chart's bar tapped on a tablet tells its details", async ({ page }) => {
  await signIn(page, "supervisor");
  await page.goto("/caseloads");
  await waitForHydration(page);
  const detail = page.getByTestId("chart-active-detail");
  await expect(detail).toHaveText("Tap or point at a bar for its details.");
  const bar = page.getByTestId("chart-active").getByTestId("chart-bar").first();
  const label = bar.locator("text").first();
  const name = (await label.textContent()) ?? "";
  expect(name).not.toEqual("");
  await label.tap();
  await expect(detail).toContainText(new RegExp(`^${name}: \\d+ active clients in \\d+ households`));
});
