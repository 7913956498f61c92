import { expect, signIn, test, waitForHydration } from "./fixtures";
import { chooseProject, dedup, fillClient, fillEntry, goToStep, intakeOne, saveAndContinue, step, surname } from "./intake-helpers";

test("intake of a new three-person household: dedup finds no one, Finish enrolls everyone; search by name and ID", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const last = surname(testInfo.project.name, "h");
  await signIn(page, "casemanager");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Clients" }).click();
  await page.getByTestId("start-intake").click();
  await waitForHydration(page);

  // Dedup first: nobody with these letters, so the head of household is created.
  await dedup(page, "Amara", last);
  await expect(page.getByTestId("no-matches")).toBeVisible();
  await page.getByLabel("First name", { exact: true }).fill("Amara");
  await page.getByLabel("Last name", { exact: true }).fill(last);
  await page.getByTestId("create-client").click();
  await step(page, "Household");

  // Two more members, each searched for first.
  for (const first of ["Kofi", "Adaeze"]) {
    await dedup(page, first, last);
    await expect(page.getByTestId("no-matches")).toBeVisible();
    await page.getByLabel("First name", { exact: true }).fill(first);
    await page.getByLabel("Last name", { exact: true }).fill(last);
    await page.getByTestId("create-client").click();
    await expect(page.getByTestId("household-member").filter({ hasText: `${first} ${last}` })).toBeVisible();
  }
  await expect(page.getByTestId("household-member")).toHaveCount(3);

  // Two heads of household are refused next to the form.
  await page.getByLabel(`Kofi ${last}`).selectOption({ label: "Self (head of household)" });
  await page.getByLabel(`Adaeze ${last}`).selectOption({ label: "Child" });
  await page.getByTestId("save-continue").click();
  await expect(page.getByText(/exactly one head of household/).first()).toBeVisible();
  await page.getByLabel(`Kofi ${last}`).selectOption({ label: "Spouse or partner" });
  await saveAndContinue(page, `Basic client information — Amara ${last}`);

  await fillClient(page, "1988-04-02", true);
  await saveAndContinue(page, `Basic client information — Kofi ${last}`);
  await fillClient(page, "1986-09-12", true);
  await saveAndContinue(page, `Basic client information — Adaeze ${last}`);
  await fillClient(page, "2017-01-20", false);
  await saveAndContinue(page, "Project and start date");
  await chooseProject(page, "Riverside Family Shelter");
  await expect(page.getByLabel(`Enroll Adaeze ${last}`)).toBeChecked();
  await saveAndContinue(page, `Entry assessment — Amara ${last}`);
  await fillEntry(page, true);
  await saveAndContinue(page, `Entry assessment — Kofi ${last}`);
  await fillEntry(page, true);
  await saveAndContinue(page, `Entry assessment — Adaeze ${last}`);
  // A child is asked the child subset only.
  await expect(page.getByLabel("Income from any source")).toHaveCount(0);
  await fillEntry(page, false);
  await saveAndContinue(page, "Review and finish");

  // Every step before the review carries its check mark.
  await expect(page.locator('[data-testid="step"][data-done="true"]')).toHaveCount(8);
  await page.getByTestId("finish").click();
  await expect(page.getByTestId("client-name")).toHaveText(`Amara ${last}`);
  const enrollment = page.getByTestId("enrollment");
  await expect(enrollment).toHaveCount(1);
  await expect(enrollment).toContainText("Riverside Family Shelter");
  await expect(enrollment).toContainText("Household (3)");
  await expect(page.getByTestId("case-managers")).toHaveText("Casey Manning");

  // Finish wrote exactly the household: one enrollment each, one household.
  // The ID people read is short; the address holds the whole one.
  const id = new URL(page.url()).pathname.split("/clients/")[1];
  const shortId = (await page.getByTestId("client-id").textContent())!.trim();
  expect(shortId).toBe(`${id.slice(24, 28)}-${id.slice(28)}`.toUpperCase());
  const dashboard = await (
    await page.request.post("/api/get_client_dashboard", { form: { personal_id: id }, headers: { Accept: "application/json" } })
  ).json();
  expect(dashboard.enrollments).toHaveLength(1);
  expect(dashboard.enrollments[0].household.map((m: { relationship: string }) => m.relationship).sort()).toEqual([
    "Child",
    "Self (head of household)",
    "Spouse or partner",
  ]);

  // The header search: first three + first three, then the client ID (straight to the dashboard).
  await page.getByRole("searchbox", { name: "Find a client" }).fill(`ama ${last.slice(0, 3).toUpperCase()}`);
  await page.getByRole("searchbox", { name: "Find a client" }).press("Enter");
  await expect(page.getByTestId("client-row")).toHaveCount(1);
  await expect(page.getByTestId("client-row")).toContainText(`Amara ${last}`);
  await waitForHydration(page);
  await page.getByRole("searchbox", { name: "Find a client" }).fill(shortId);
  await page.getByRole("searchbox", { name: "Find a client" }).press("Enter");
  await expect(page).toHaveURL(new RegExp(`/clients/${id}$`));
  await expect(page.getByTestId("client-name")).toHaveText(`Amara ${last}`);
});

test("an existing client is found by dedup and reused; a closed browser resumes the intake from the dashboard", async ({ browser, page }, testInfo) => {
  test.setTimeout(120_000);
  const last = surname(testInfo.project.name, "r");
  await signIn(page, "casemanager");
  await intakeOne(page, "Beatrix", last, "Riverside Transitional Living", true);

  // A second intake: dedup finds Beatrix, and the intake reuses her record.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Clients" }).click();
  await page.getByTestId("start-intake").click();
  await waitForHydration(page);
  await dedup(page, "Bea", last);
  const match = page.getByTestId("match").filter({ hasText: `Beatrix ${last}` });
  await expect(match).toHaveCount(1);
  await expect(match).toContainText("Open: Riverside Transitional Living");
  await match.getByRole("button", { name: "Start intake with this client" }).click();
  await step(page, "Household");
  await expect(page.getByTestId("household-member")).toContainText("On record");
  await saveAndContinue(page, `Basic client information — Beatrix ${last}`);
  await expect(page.getByLabel("First name", { exact: true })).toHaveValue("Beatrix");
  await page.getByRole("button", { name: "No Changes" }).first().click();
  await step(page, "Project and start date");
  await chooseProject(page, "Riverside Rapid Re-Housing");
  await saveAndContinue(page, `Entry assessment — Beatrix ${last}`);
  await page.context().close();

  // Another browser: the dashboard offers to resume, with every answer still there.
  const context = await browser.newContext();
  const other = await context.newPage();
  await signIn(other, "casemanager");
  await other.getByRole("searchbox", { name: "Find a client" }).fill(`bea ${last.slice(0, 3)}`);
  await other.getByRole("searchbox", { name: "Find a client" }).press("Enter");
  await other.getByTestId("client-row").getByRole("link").click();
  await expect(other.getByTestId("draft")).toContainText("Intake");
  await expect(other.getByTestId("client-header")).toContainText("Intake in progress");
  await waitForHydration(other);
  await other.getByRole("link", { name: "Resume intake" }).click();
  await expect(other.getByTestId("step-title")).toHaveText(`Entry assessment — Beatrix ${last}`);
  await expect(other.locator('[data-testid="step"][data-done="true"]')).toHaveCount(3);
  await goToStep(other, /Basic client information/);
  await step(other, `Basic client information — Beatrix ${last}`);
  await expect(other.getByLabel("First name", { exact: true })).toHaveValue("Beatrix");
  await expect(other.getByLabel("Date of birth", { exact: true })).toHaveValue("1984-05-06");
  await goToStep(other, "Project and start date");
  await step(other, "Project and start date");
  const chosen = other.getByLabel("Project", { exact: true });
  await expect(chosen.locator("option:checked")).toContainText("Riverside Rapid Re-Housing");
  await saveAndContinue(other, `Entry assessment — Beatrix ${last}`);

  // Default Last fills the assessment from her earlier enrollment.
  await other.getByTestId("default-last").click();
  await expect(other.getByLabel("Type of residence before project start")).toHaveValue("116");
  await expect(other.getByLabel("Medicaid", { exact: true })).toBeChecked();
  await saveAndContinue(other, "Review and finish");
  await other.getByTestId("finish").click();
  await expect(other.getByTestId("client-name")).toHaveText(`Beatrix ${last}`);
  await expect(other.getByTestId("enrollment")).toHaveCount(2);
  await expect(other.getByTestId("draft")).toHaveCount(0);

  // Still one Beatrix.
  await other.getByRole("searchbox", { name: "Find a client" }).fill(`bea ${last.slice(0, 3)}`);
  await other.getByRole("searchbox", { name: "Find a client" }).press("Enter");
  await expect(other.getByTestId("client-row")).toHaveCount(1);
  await context.close();
});

test("the intake works with JavaScript off @nojs-only", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const last = surname(testInfo.project.name, "j");
  await signIn(page, "casemanager", false);
  // A mistake is explained next to the field, and the answers typed are kept.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Clients" }).click();
  await page.getByTestId("start-intake").click();
  await dedup(page, "Noor", last);
  await expect(page.getByTestId("no-matches")).toBeVisible();
  await page.getByLabel("First name", { exact: true }).fill("Noor");
  await page.getByLabel("Last name", { exact: true }).fill(last);
  await page.getByTestId("create-client").click();
  await step(page, "Household");
  await saveAndContinue(page, `Basic client information — Noor ${last}`);
  await fillClient(page, "1990-03-03", true);
  await page.getByLabel("SSN", { exact: true }).fill("12345");
  await page.getByTestId("save-continue").click();
  await expect(page.getByText("An SSN has nine digits")).toBeVisible();
  await expect(page.getByLabel("Date of birth", { exact: true })).toHaveValue("1990-03-03");
  await saveAndContinue(page, "Project and start date");
  await chooseProject(page, "Riverside Family Shelter");
  await saveAndContinue(page, `Entry assessment — Noor ${last}`);
  await fillEntry(page, true, false);
  await saveAndContinue(page, "Review and finish");
  await page.getByTestId("finish").click();
  await expect(page.getByTestId("client-name")).toHaveText(`Noor ${last}`);
  await expect(page.getByTestId("enrollment")).toContainText("Riverside Family Shelter");
});
