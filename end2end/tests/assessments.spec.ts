import { type Page } from "@playwright/test";
import { expect, signIn, test, waitForHydration } from "./fixtures";
import { daysAgo, enrollmentAction, intakeByApi, saveAndContinue, step, surname, us } from "./intake-helpers";

// Update and annual assessments as case managers record them on a tablet. Each test
// enrolls its own household through the API (the intake has its own browser tests).

const FAMILY: [string, string, string][] = [
  ["Rosa", "1984-03-08", "1"],
  ["Tomas", "2016-07-19", "2"],
];

async function dashboard(page: Page, personalId: string) {
  await page.goto(`/clients/${personalId}`);
  await waitForHydration(page);
}


/** Records an update dated `date` with Default Last on every member's page. */
async function recordUpdate(page: Page, last: string, date: string) {
  await enrollmentAction(page, "Update/Annual Assessment");
  await step(page, "Program enrollment");
  await page.getByTestId("no-changes").click();
  const next = page.getByTestId("step-title");
  await expect(next).toHaveText(/Information date|New or edit existing/);
  if ((await next.textContent()) === "New or edit existing") {
    await page.getByLabel("Assessment", { exact: true }).selectOption("new");
    await saveAndContinue(page, "Information date");
  }
  await page.getByLabel("Information date").fill(date);
  await saveAndContinue(page, "Update or annual");
  await page.getByLabel("Type of assessment").selectOption("2");
  for (const [first, next] of [
    ["Rosa", `Update assessment — Tomas ${last}`],
    ["Tomas", "Review and finish"],
  ]) {
    await page.getByTestId("save-continue").click();
    await step(page, `Update assessment — ${first} ${last}`);
    await page.getByTestId("default-last").click();
    await expect(page.getByLabel("Covered by health insurance")).toHaveValue("1");
    await saveAndContinue(page, next);
  }
  await page.getByTestId("finish").click();
  await expect(page.getByTestId("client-name")).toHaveText(`Rosa ${last}`);
}

test("@tablet an annual inside the window for a two-person household with Default Last", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const last = surname(testInfo.project.name, "an");
  await signIn(page, "casemanager");
  // Entered 360 days ago in rapid re-housing: the anniversary is 5 days away.
  const ids = await intakeByApi(page, last, FAMILY, "Riverside Rapid Re-Housing", daysAgo(360));
  await dashboard(page, ids[0]);
  await expect(page.getByText(/Annual assessment due by/)).toBeVisible();
  await enrollmentAction(page, "Update/Annual Assessment");
  await step(page, "Program enrollment");
  await page.getByLabel("Housing move-in date").fill(daysAgo(300));
  await saveAndContinue(page, "Information date");
  await expect(page.getByLabel("Information date")).toHaveValue(daysAgo(0));
  await expect(page.getByTestId("step-intro")).toContainText("is within the annual window");
  await saveAndContinue(page, "Update or annual");
  // Inside the window, Annual is offered and chosen for the whole household.
  await expect(page.getByLabel("Type of assessment")).toHaveValue("5");
  await expect(page.getByTestId("step-intro")).toContainText("applies to every household member assessed (2 members)");
  await saveAndContinue(page, `Annual assessment — Rosa ${last}`);
  await page.getByTestId("default-last").click();
  await expect(page.getByLabel("Income from any source")).toHaveValue("1");
  await expect(page.getByLabel("Earned income (i.e., employment income) (monthly $)")).toHaveValue("850.50");
  await saveAndContinue(page, `Annual assessment — Tomas ${last}`);
  await page.getByTestId("default-last").click();
  await expect(page.getByLabel("Covered by health insurance")).toHaveValue("1");
  await saveAndContinue(page, "Review and finish");
  await expect(page.locator('[data-testid="step"][data-done="true"]')).toHaveCount(5);
  await expect(page.getByTestId("review")).toContainText("Annual assessment");
  await expect(page.getByTestId("review")).toContainText(us(daysAgo(300)));
  await page.getByTestId("finish").click();
  await expect(page.getByTestId("client-name")).toHaveText(`Rosa ${last}`);
  // Recorded: the dashboard no longer asks for the annual.
  await expect(page.getByText(/Annual assessment due by/)).toHaveCount(0);
});

test("@tablet outside the window Annual is not offered and Update is recorded", async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const last = surname(testInfo.project.name, "ao");
  await signIn(page, "casemanager");
  const ids = await intakeByApi(page, last, FAMILY, "Riverside Family Shelter", daysAgo(200));
  await dashboard(page, ids[0]);
  await enrollmentAction(page, "Update/Annual Assessment");
  await step(page, "Program enrollment");
  await expect(page.getByTestId("step-intro")).toContainText("no project-specific enrollment elements");
  await page.getByTestId("no-changes").click();
  await step(page, "Information date");
  await saveAndContinue(page, "Update or annual");
  await expect(page.getByTestId("step-intro")).toContainText("Annual is not offered");
  await expect(page.getByTestId("step-intro")).toContainText("outside the annual window");
  const type = page.getByLabel("Type of assessment");
  await expect(type.locator("option", { hasText: "Annual assessment" })).toHaveCount(0);
  await expect(type.locator("option", { hasText: "Update" })).toHaveCount(1);
  await type.selectOption("2");
  await saveAndContinue(page, `Update assessment — Rosa ${last}`);
  await page.getByTestId("default-last").click();
  await expect(page.getByLabel("Income from any source")).toHaveValue("1");
  await saveAndContinue(page, `Update assessment — Tomas ${last}`);
  await page.getByTestId("default-last").click();
  await expect(page.getByLabel("Covered by health insurance")).toHaveValue("1");
  await saveAndContinue(page, "Review and finish");
  await expect(page.getByTestId("review")).toContainText("Update assessment");
  await page.getByTestId("finish").click();
  await expect(page.getByTestId("client-name")).toHaveText(`Rosa ${last}`);
});

test("@tablet Edit Existing changes a recorded update", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const last = surname(testInfo.project.name, "ae");
  await signIn(page, "casemanager");
  const ids = await intakeByApi(page, last, FAMILY, "Riverside Family Shelter", daysAgo(90));
  await dashboard(page, ids[0]);
  await recordUpdate(page, last, daysAgo(10));

  await enrollmentAction(page, "Update/Annual Assessment");
  await step(page, "Program enrollment");
  await page.getByTestId("no-changes").click();
  await step(page, "New or edit existing");
  const which = page.getByLabel("Assessment", { exact: true });
  await which.selectOption({ label: `Edit: Update assessment of ${us(daysAgo(10))} (2 members)` });
  await saveAndContinue(page, "Information date");
  await expect(page.getByLabel("Information date")).toHaveValue(daysAgo(10));
  await page.getByLabel("Information date").fill(daysAgo(8));
  await saveAndContinue(page, "Update or annual");
  await expect(page.getByLabel("Type of assessment")).toHaveValue("2");
  await saveAndContinue(page, `Update assessment — Rosa ${last}`);
  // Prefilled with the recorded update; the earned income is corrected.
  await expect(page.getByLabel("Income from any source")).toHaveValue("1");
  await page.getByLabel("Earned income (i.e., employment income) (monthly $)").fill("1200");
  await saveAndContinue(page, `Update assessment — Tomas ${last}`);
  await page.getByTestId("no-changes").click();
  await step(page, "Review and finish");
  await expect(page.getByTestId("review")).toContainText("Changes to a recorded assessment");
  await expect(page.getByTestId("review")).toContainText("Saved: no changes");
  await page.getByTestId("finish").click();
  await expect(page.getByTestId("client-name")).toHaveText(`Rosa ${last}`);

  // Opened again: the corrected update is the one on record, at its new date.
  await enrollmentAction(page, "Update/Annual Assessment");
  await page.getByTestId("no-changes").click();
  await step(page, "New or edit existing");
  const options = page.getByLabel("Assessment", { exact: true }).locator("option");
  await expect(options).toHaveText(["Choose…", "New assessment", `Edit: Update assessment of ${us(daysAgo(8))} (2 members)`]);
  await page.getByLabel("Assessment", { exact: true }).selectOption({ index: 2 });
  await saveAndContinue(page, "Information date");
  await saveAndContinue(page, "Update or annual");
  await saveAndContinue(page, `Update assessment — Rosa ${last}`);
  await expect(page.getByLabel("Earned income (i.e., employment income) (monthly $)")).toHaveValue("1200.00");
});
