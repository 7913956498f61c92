import { type Page } from "@playwright/test";
import { expect, waitForHydration } from "./fixtures";

// Names unique to each browser project (they share one server): the dedup search
// looks at the first three letters of first and last name.
export function surname(project: string, tag: string) {
  const p = { tablet: "t", desktop: "d", "no-javascript": "n" }[project] ?? "x";
  return `Xq${p}${tag}worth`;
}

export async function step(page: Page, title: string | RegExp) {
  await expect(page.getByTestId("step-title")).toHaveText(title);
}

export async function saveAndContinue(page: Page, next: string | RegExp) {
  await page.getByTestId("save-continue").click();
  await step(page, next);
}

/** Basic client information for a new client. */
export async function fillClient(page: Page, dob: string, adult: boolean) {
  await page.getByLabel("SSN data quality").selectOption("99");
  await page.getByLabel("Date of birth", { exact: true }).fill(dob);
  await page.getByLabel("Date of birth data quality").selectOption("1");
  await page.getByLabel("White", { exact: true }).check();
  await page.getByLabel("Sex", { exact: true }).selectOption("0");
  if (adult) await page.getByLabel("Veteran status").selectOption("0");
}

/** The entry assessment: adults answer the HoH-and-adults elements too. */
export async function fillEntry(page: Page, adult: boolean) {
  if (adult) {
    await page.getByLabel("Type of residence before project start").selectOption("116");
    await page.getByLabel("Length of stay in that residence").selectOption("3");
    await page.getByLabel("Income from any source").selectOption("0");
    await page.getByLabel("Non-cash benefits from any source").selectOption("0");
    await page.getByLabel("Survivor of domestic violence").selectOption("0");
  }
  await page.getByLabel("Disabling condition", { exact: true }).selectOption("0");
  await page.getByLabel("Covered by health insurance").selectOption("1");
  await page.getByLabel("Medicaid", { exact: true }).check();
  for (const kind of [
    "Physical disability",
    "Developmental disability",
    "Chronic health condition",
    "HIV/AIDS",
    "Mental health disorder",
    "Substance use disorder",
  ]) {
    await page.getByLabel(kind, { exact: true }).selectOption("0");
  }
}

export async function chooseProject(page: Page, name: string) {
  const select = page.getByLabel("Project", { exact: true });
  const value = await select.locator("option", { hasText: name }).getAttribute("value");
  await select.selectOption(value!);
}

/** Dedup search on the intake page or the household step. */
export async function dedup(page: Page, first: string, last: string) {
  await page.getByLabel("First name (first 3 letters)").fill(first.slice(0, 3));
  await page.getByLabel("Last name (first 3 letters)").fill(last.slice(0, 3));
  await page.getByRole("button", { name: "Search", exact: true }).last().click();
}

/** A whole intake of one new adult into `project`, from the Clients area. */
export async function intakeOne(page: Page, first: string, last: string, project: string, js: boolean) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Clients" }).click();
  await page.getByTestId("start-intake").click();
  await expect(page.getByRole("heading", { name: "Intake", level: 1 })).toBeVisible();
  if (js) await waitForHydration(page);
  await dedup(page, first, last);
  await expect(page.getByTestId("no-matches")).toBeVisible();
  await page.getByLabel("First name", { exact: true }).fill(first);
  await page.getByLabel("Last name", { exact: true }).fill(last);
  await page.getByTestId("create-client").click();
  await step(page, "Household");
  await saveAndContinue(page, `Basic client information — ${first} ${last}`);
  await fillClient(page, "1984-05-06", true);
  await saveAndContinue(page, "Project and start date");
  await chooseProject(page, project);
  await saveAndContinue(page, `Entry assessment — ${first} ${last}`);
  await fillEntry(page, true);
  if (project.includes("Street Outreach")) {
    await saveAndContinue(page, `Outreach information — ${first} ${last}`);
    await page.getByLabel("Last known location").fill("Riverfront park, north shelter house");
  }
  await saveAndContinue(page, "Review and finish");
  await page.getByTestId("finish").click();
  await expect(page.getByTestId("client-name")).toHaveText(`${first} ${last}`);
}

