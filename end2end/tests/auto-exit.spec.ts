import { expect, signIn, test, waitForHydration } from "./fixtures";
import { daysAgo, intakeByApi, surname } from "./intake-helpers";

// Auto-alert and auto-exit as people meet them: an outreach case manager sees the
// households approaching auto-exit on the home page and in the report; an HMIS admin
// runs the sweep from Admin → Auto-exit and watches it finish; the household that was
// due is gone from the report, the one only past its alert age stays. Desktop only:
// the sweep changes what every test on the server sees in the outreach project.

test("@desktop households approach auto-exit, and the sweep an HMIS admin starts exits the one due", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const alerting = surname(testInfo.project.name, "al");
  const due = surname(testInfo.project.name, "du");
  await signIn(page, "outreach");
  // Street outreach alerts after 300 days and exits after 365 without a contact.
  await intakeByApi(page, alerting, [["Ines", "1979-05-04", "1"]], "Northside Street Outreach", daysAgo(320));
  await intakeByApi(page, due, [["Omar", "1981-11-23", "1"]], "Northside Street Outreach", daysAgo(370));

  await page.goto("/");
  await waitForHydration(page);
  const card = page.getByTestId("approaching-card");
  await expect(card.getByRole("heading", { name: "Approaching auto-exit" })).toBeVisible();
  await card.getByTestId("approaching-mine").click();
  await expect(page.getByRole("heading", { name: "Approaching auto-exit", level: 1 })).toBeVisible();
  await waitForHydration(page);
  const rows = page.getByTestId("approaching-row");
  const alertRow = rows.filter({ hasText: alerting });
  const dueRow = rows.filter({ hasText: due });
  await expect(alertRow).toHaveCount(1);
  await expect(alertRow.getByRole("cell").nth(4)).toHaveText("320");
  await expect(dueRow.getByRole("cell").nth(5)).toHaveText("At the next sweep");
  const csvHref = await page.getByTestId("approaching-csv").getAttribute("href");
  expect(csvHref).toMatch(/approaching-auto-exit\.csv\?.*mine=yes/);
  const csv = await (await page.request.get(csvHref!)).text();
  expect(csv.split("\n").filter((line) => line.includes(alerting) || line.includes(due))).toHaveLength(2);

  await page.context().clearCookies();
  await signIn(page, "admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "Auto-exit", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Auto-exit", level: 1 })).toBeVisible();
  await waitForHydration(page);
  await expect(page.getByTestId("auto-exit-projects")).toContainText("Northside Street Outreach");
  await page.getByLabel("Projects").selectOption({ label: "Northside Street Outreach" });
  await page.getByRole("button", { name: "Start sweep" }).click();
  const run = page.getByTestId("auto-exit-run").first();
  await expect(run).toContainText("Northside Street Outreach");
  await expect(run).toContainText("by admin");
  await expect(run.getByTestId("job-state")).toHaveText("Done", { timeout: 30_000 });
  await expect(run).toContainText(/exited [1-9]\d* household\(s\)/);

  await page.context().clearCookies();
  await signIn(page, "outreach");
  await page.goto("/reports/approaching-auto-exit?mine=yes");
  await waitForHydration(page);
  await expect(page.getByTestId("approaching-row").filter({ hasText: alerting })).toHaveCount(1);
  await expect(page.getByTestId("approaching-row").filter({ hasText: due })).toHaveCount(0);
});
