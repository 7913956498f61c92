import { type Page } from "@playwright/test";
import { expect, signIn, test, waitForHydration } from "./fixtures";
import { daysAgo, draftIntake, enrollmentAction, intakeByApi, saveAndContinue, step, surname } from "./intake-helpers";

// The assessment and exit forms as a case manager meets them on a tablet: follow-up
// questions only when they apply, the shortcuts and the action bar in reach, each
// step's form in the first screen.

/** The top of an element on the page, in CSS pixels from the top of the document. */
async function top(page: Page, testIdOrLabel: ReturnType<Page["getByTestId"]>) {
  const box = await testIdOrLabel.boundingBox();
  const scrolled = await page.evaluate(() => window.scrollY);
  return box!.y + scrolled;
}

test("@tablet the entry assessment asks follow-up questions only when they apply", async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const last = surname(testInfo.project.name, "fq");
  await signIn(page, "casemanager");
  const { draft, ids, save } = await draftIntake(page, last, [["Vera", "1"]], "Riverside Family Shelter", daysAgo(0));
  await save(`client-${ids[0]}`, {
    first_name: "Vera",
    last_name: last,
    name_data_quality: "1",
    ssn_data_quality: "99",
    dob: "1979-06-01",
    dob_data_quality: "1",
    race_white: "yes",
    sex: "0",
    veteran_status: "0",
  });
  await page.goto(`/workflows/${draft}/entry-${ids[0]}`);
  await waitForHydration(page);
  await step(page, `Entry assessment — Vera ${last}`);

  // The step's heading is in the first screen: the step list is folded under one line.
  expect(await top(page, page.getByTestId("step-title"))).toBeLessThan(400);
  const steps = page.getByRole("navigation", { name: "Steps" });
  await expect(steps).toBeHidden();
  await page.getByTestId("step-list").getByText(/Step 4 of 5/).click();
  await expect(steps).toBeVisible();
  await expect(steps.getByRole("link")).toHaveCount(5);

  // The sources wait for "Yes".
  const income = page.getByLabel("Income from any source");
  const earned = page.getByLabel("Earned income (i.e., employment income) (monthly $)");
  await expect(earned).toBeHidden();
  await income.selectOption("1");
  await expect(earned).toBeVisible();
  await income.selectOption("0");
  await expect(earned).toBeHidden();

  // A disability answered Yes asks whether it is long-continuing.
  const physical = page.getByLabel("Physical disability", { exact: true });
  const longContinuing = page
    .locator(".field-slot", { has: page.locator("#f-indefinite_5") })
    .getByLabel("Expected to be long-continuing and to impair independent living?");
  await expect(longContinuing).toBeHidden();
  await physical.selectOption("1");
  await expect(longContinuing).toBeVisible();
  await physical.selectOption("0");
  await expect(longContinuing).toBeHidden();

  // A survivor of domestic violence is asked when, and whether fleeing.
  const survivor = page.getByLabel("Survivor of domestic violence");
  const when = page.getByLabel("When did the experience occur?");
  const fleeing = page.getByLabel("Currently fleeing?");
  await expect(when).toBeHidden();
  await survivor.selectOption("1");
  await expect(when).toBeVisible();
  await expect(fleeing).toBeVisible();

  // Save & Continue stays in sight at the bottom of the screen while the form scrolls.
  await page.getByLabel("Covered by health insurance").scrollIntoViewIfNeeded();
  await expect(page.getByTestId("save-continue")).toBeInViewport();

  // A survivor's follow-ups are required once asked.
  await page.getByLabel("Type of residence before project start").selectOption("116");
  await page.getByLabel("Length of stay in that residence").selectOption("3");
  await page.getByLabel("Non-cash benefits from any source").selectOption("0");
  await page.getByLabel("Disabling condition", { exact: true }).selectOption("0");
  await page.getByLabel("Covered by health insurance").selectOption("0");
  for (const kind of ["Developmental disability", "Chronic health condition", "HIV/AIDS", "Mental health disorder", "Substance use disorder"]) {
    await page.getByLabel(kind, { exact: true }).selectOption("0");
  }
  await page.getByTestId("save-continue").click();
  await expect(page.getByTestId("validation-summary")).toContainText("When did the experience occur?");
  await when.selectOption("4");
  await fleeing.selectOption("0");
  await income.selectOption("1");
  await earned.fill("640");
  await saveAndContinue(page, "Review and finish");
});

test("@tablet Default Last and No Changes sit above the form as well as in the action bar", async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const last = surname(testInfo.project.name, "dl");
  await signIn(page, "casemanager");
  const ids = await intakeByApi(page, last, [["Wanda", "1981-02-03", "1"]], "Riverside Family Shelter", daysAgo(30));
  await page.goto(`/clients/${ids[0]}`);
  await waitForHydration(page);
  await enrollmentAction(page, "Update/Annual Assessment");
  await step(page, "Program enrollment");
  await page.getByTestId("no-changes").click();
  await step(page, "Information date");
  await page.getByLabel("Information date").fill(daysAgo(0));
  await saveAndContinue(page, "Update or annual");
  await page.getByLabel("Type of assessment").selectOption("2");
  await saveAndContinue(page, `Update assessment — Wanda ${last}`);

  // Both shortcuts are in the first screen, above the first question.
  const shortcut = page.getByTestId("default-last");
  await expect(shortcut).toBeInViewport();
  await expect(page.getByTestId("no-changes")).toBeInViewport();
  expect(await top(page, shortcut)).toBeLessThan(await top(page, page.getByLabel("Income from any source")));
  await expect(page.getByTestId("default-last-bottom")).toBeVisible();
  await shortcut.click();
  await expect(page.getByLabel("Income from any source")).toHaveValue("1");
  await expect(page.getByLabel("Earned income (i.e., employment income) (monthly $)")).toHaveValue("850.50");
  await saveAndContinue(page, "Review and finish");
});

test("@tablet the exit's first form asks the date, destination and reason first", async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const last = surname(testInfo.project.name, "ef");
  await signIn(page, "casemanager");
  const ids = await intakeByApi(
    page,
    last,
    [
      ["Xena", "1983-04-05", "1"],
      ["Yuri", "2015-06-07", "2"],
    ],
    "Riverside Family Shelter",
    daysAgo(40),
  );
  await page.goto(`/clients/${ids[0]}`);
  await waitForHydration(page);
  await enrollmentAction(page, "Exit the Enrollment");
  await step(page, "Exit date and destination");

  const destination = page.getByLabel("Destination", { exact: true });
  const reason = page.getByLabel("Reason for leaving", { exact: true });
  await expect(destination).toBeInViewport();
  const whoExits = page.getByRole("heading", { name: "Who exits" });
  expect(await top(page, destination)).toBeLessThan(await top(page, whoExits));
  expect(await top(page, reason)).toBeLessThan(await top(page, whoExits));

  // The subsidy is asked for a rental with an ongoing subsidy only.
  const subsidy = page.getByLabel("Type of the ongoing housing subsidy");
  await expect(subsidy).toBeHidden();
  await destination.selectOption({ label: "Rental by client, with ongoing housing subsidy" });
  await expect(subsidy).toBeVisible();
  await destination.selectOption({ label: "Rental by client, no ongoing housing subsidy" });
  await expect(subsidy).toBeHidden();

  // A member who stays is not asked a date of their own.
  const yuriDate = page.getByLabel(`Yuri ${last}: exit date, if different`);
  await expect(yuriDate).toBeVisible();
  await page.getByLabel(new RegExp(`Does Yuri ${last} .* exit too\\?`)).uncheck();
  await expect(yuriDate).toBeHidden();
});
