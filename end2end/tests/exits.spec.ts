import { expect, signIn, test, waitForHydration } from "./fixtures";
import { daysAgo, enrollmentAction, goToStep, intakeByApi, saveAndContinue, step, surname, us } from "./intake-helpers";

// Exits as case managers do them on a tablet. Each test enrolls its own household
// through the API (the intake has its own browser tests), then exits through the UI.

const FAMILY = (last: string) =>
  [
    [`Alicia`, "1988-04-02", "1"],
    [`Marco`, "1986-09-12", "3"],
    [`Sofia`, "2017-01-20", "2"],
  ] as [string, string, string][];

async function dashboard(page: import("@playwright/test").Page, personalId: string) {
  await page.goto(`/clients/${personalId}`);
  await waitForHydration(page);
}

test("@tablet a three-person household exits with one back-dated exit date and Default Last on every page", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const last = surname(testInfo.project.name, "ex");
  await signIn(page, "casemanager");
  const ids = await intakeByApi(page, last, FAMILY(last), "Riverside Family Shelter", daysAgo(30));
  await dashboard(page, ids[0]);
  await enrollmentAction(page, "Exit the Enrollment");
  await step(page, "Exit date and destination");
  // Everyone is ticked; the others are asked whether they exit too.
  await expect(page.getByLabel(`Alicia ${last} (Self (head of household)) exits`)).toBeChecked();
  await expect(page.getByLabel(`Does Sofia ${last} (Child) exit too?`)).toBeChecked();
  await page.getByLabel("Project exit date").fill(daysAgo(2));
  await page.getByLabel(`Sofia ${last}: exit date, if different`).fill(daysAgo(4));
  await page.getByLabel("Destination", { exact: true }).selectOption({ label: "Rental by client, no ongoing housing subsidy" });
  await page.getByLabel("Reason for leaving").selectOption({ label: "Completed program" });
  await saveAndContinue(page, `Exit assessment — Alicia ${last}`);
  for (const [first, next] of [
    ["Alicia", `Exit assessment — Marco ${last}`],
    ["Marco", `Exit assessment — Sofia ${last}`],
    ["Sofia", "Review and finish"],
  ]) {
    await page.getByTestId("default-last").click();
    await expect(page.getByLabel("Covered by health insurance")).toHaveValue("1");
    await step(page, `Exit assessment — ${first} ${last}`);
    await saveAndContinue(page, next);
  }
  await expect(page.locator('[data-testid="step"][data-done="true"]')).toHaveCount(4);
  await expect(page.getByTestId("review")).toContainText(us(daysAgo(4)));
  await page.getByTestId("finish").click();
  await expect(page.getByTestId("client-name")).toHaveText(`Alicia ${last}`);
  const enrollment = page.getByTestId("enrollment").first();
  await expect(enrollment).toContainText("Exited");
  await expect(enrollment.locator(".household li")).toHaveCount(3);
  for (const li of await enrollment.locator(".household li").all()) {
    await expect(li).toContainText("exited");
  }
  await expect(page.getByTestId("partial-exit")).toHaveCount(0);
});

test("@tablet the head of household cannot exit alone; one other member can", async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const last = surname(testInfo.project.name, "ey");
  await signIn(page, "casemanager");
  const ids = await intakeByApi(page, last, FAMILY(last), "Riverside Family Shelter", daysAgo(20));
  await dashboard(page, ids[0]);
  await enrollmentAction(page, "Exit the Enrollment");
  await step(page, "Exit date and destination");
  await page.getByLabel(`Does Marco ${last} (Spouse or partner) exit too?`).uncheck();
  await page.getByLabel(`Does Sofia ${last} (Child) exit too?`).uncheck();
  await page.getByLabel("Destination", { exact: true }).selectOption({ label: "Staying or living with family, permanent tenure" });
  await page.getByTestId("save-continue").click();
  await expect(page.getByText(/head of household cannot exit before the rest of the household/)).toBeVisible();
  // By the buttons (the message itself is by its field, further up): what to check.
  await expect(page.getByTestId("validation-summary")).toContainText("New head of household");
  await step(page, "Exit date and destination");

  // Only the child leaves (to live with relatives).
  await page.getByLabel(`Alicia ${last} (Self (head of household)) exits`).uncheck();
  await page.getByLabel(`Does Sofia ${last} (Child) exit too?`).check();
  await saveAndContinue(page, `Exit assessment — Sofia ${last}`);
  await page.getByTestId("default-last").click();
  await expect(page.getByLabel("Covered by health insurance")).toHaveValue("1");
  await saveAndContinue(page, "Review and finish");
  await expect(page.getByTestId("review")).toContainText("No: stays enrolled");
  await page.getByTestId("finish").click();
  await expect(page.getByTestId("client-name")).toHaveText(`Alicia ${last}`);
  await expect(page.getByTestId("enrollment").first()).toContainText("Open");
  await expect(page.getByTestId("partial-exit")).toContainText("1 of 3 members have exited");
});

test("@tablet no exit interview: confirmation taps only; Edit Exit changes the destination; Re-enter within 90 days", async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const last = surname(testInfo.project.name, "ez");
  await signIn(page, "casemanager");
  const [id] = await intakeByApi(page, last, [["Noor", "1979-03-03", "1"]], "Riverside Family Shelter", daysAgo(10));
  await dashboard(page, id);
  await enrollmentAction(page, "Exit the Enrollment");
  await step(page, "Exit date and destination");
  await page.getByLabel("Destination", { exact: true }).selectOption({ label: "No exit interview completed" });
  await saveAndContinue(page, `Exit assessment — Noor ${last}`);
  // Prefilled from the latest records: confirming is enough.
  await expect(page.getByLabel("Income from any source")).toHaveValue("1");
  await saveAndContinue(page, "Review and finish");
  await page.getByTestId("finish").click();
  await expect(page.getByTestId("enrollment").first()).toContainText("Exited");

  // Edit Exit: the recorded destination, corrected.
  await enrollmentAction(page, "Edit Exit Workflow");
  await step(page, "Edit exit: date and destination");
  await expect(page.getByLabel("Destination", { exact: true })).toHaveValue("30");
  await page.getByLabel("Destination", { exact: true }).selectOption({ label: "Staying or living with family, permanent tenure" });
  await saveAndContinue(page, `Exit assessment — Noor ${last}`);
  await page.getByTestId("no-changes").click();
  await step(page, "Review and finish");
  await expect(page.getByTestId("review")).toContainText("Staying or living with family, permanent tenure");
  await page.getByTestId("finish").click();
  await expect(page.getByTestId("client-name")).toHaveText(`Noor ${last}`);

  // Re-enter: the confirmation shows the corrected exit, then the enrollment is open.
  await enrollmentAction(page, "Re-enter the Enrollment");
  await expect(page.getByText("Staying or living with family, permanent tenure")).toBeVisible();
  await page.getByRole("button", { name: "Re-enter the enrollment" }).click();
  await expect(page.getByTestId("client-name")).toHaveText(`Noor ${last}`);
  await expect(page.getByTestId("enrollment").first()).toContainText("Open");
});

test("@tablet an exit left halfway resumes from the dashboard in a new browser session", async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000);
  const last = surname(testInfo.project.name, "ew");
  await signIn(page, "casemanager");
  const [id] = await intakeByApi(page, last, [["Ines", "1975-07-07", "1"]], "Riverside Family Shelter", daysAgo(10));
  await dashboard(page, id);
  await enrollmentAction(page, "Exit the Enrollment");
  await step(page, "Exit date and destination");
  await page.getByLabel("Project exit date").fill(daysAgo(1));
  await page.getByLabel("Destination", { exact: true }).selectOption({ label: "Rental by client, no ongoing housing subsidy" });
  await saveAndContinue(page, `Exit assessment — Ines ${last}`);
  await page.close();

  const context = await browser.newContext({ viewport: { width: 768, height: 1024 } });
  const other = await context.newPage();
  await signIn(other, "casemanager");
  await dashboard(other, id);
  await other.getByRole("link", { name: "Resume exit" }).click();
  await step(other, `Exit assessment — Ines ${last}`);
  await expect(other.locator('[data-testid="step"][data-done="true"]')).toHaveCount(1);
  await goToStep(other, /Exit date and destination/);
  await expect(other.getByLabel("Project exit date")).toHaveValue(daysAgo(1));
  await context.close();
});

test("@tablet re-entering after 90 days: refused for the case manager, done by an HMIS admin", async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const last = surname(testInfo.project.name, "ev");
  await signIn(page, "casemanager");
  const [id] = await intakeByApi(page, last, [["Omar", "1970-02-02", "1"]], "Riverside Family Shelter", daysAgo(200));
  await dashboard(page, id);
  await enrollmentAction(page, "Exit the Enrollment");
  await step(page, "Exit date and destination");
  await page.getByLabel("Project exit date").fill(daysAgo(100));
  await page.getByLabel("Destination", { exact: true }).selectOption({ label: "No exit interview completed" });
  await saveAndContinue(page, `Exit assessment — Omar ${last}`);
  await saveAndContinue(page, "Review and finish");
  await page.getByTestId("finish").click();
  await expect(page.getByTestId("enrollment").first()).toContainText("Exited");

  const menu = page.getByTestId("enrollment").first().locator("details.action-menu");
  await menu.locator("summary").click();
  const reEnter = menu.locator(".action-menu__unavailable", { hasText: "Re-enter the Enrollment" });
  await expect(reEnter).toContainText("only an HMIS administrator can re-enter it");
  // Announced as a disabled link; no working one.
  await expect(menu.getByRole("link", { name: "Re-enter the Enrollment", disabled: true })).toBeVisible();
  await expect(menu.getByRole("link", { name: "Re-enter the Enrollment", disabled: false })).toHaveCount(0);

  // The case manager signs out; an HMIS admin signs in.
  await page.getByRole("link", { name: /Settings for/ }).click();
  await waitForHydration(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, "admin");
  await dashboard(page, id);
  await enrollmentAction(page, "Re-enter the Enrollment");
  await page.getByRole("button", { name: "Re-enter the enrollment" }).click();
  await expect(page.getByTestId("client-name")).toHaveText(`Omar ${last}`);
  await expect(page.getByTestId("enrollment").first()).toContainText("Open");
});
