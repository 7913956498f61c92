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

/** Opens a step from the step list, unfolding the list first where it is folded (on a
 *  tablet), as a person taps "Step n of m" and then the step. */
export async function goToStep(page: Page, name: string | RegExp) {
  const list = page.getByTestId("step-list");
  const summary = list.locator("summary");
  if (await summary.isVisible()) await summary.click();
  await list.getByRole("navigation", { name: "Steps" }).getByRole("link", { name }).click();
}

/** The entry assessment: adults answer the HoH-and-adults elements too. The sources
 *  of health insurance appear once "Yes" is chosen: at once with JavaScript, after
 *  Save & Continue (which asks for a source) without it. */
export async function fillEntry(page: Page, adult: boolean, js = true) {
  if (adult) {
    await page.getByLabel("Type of residence before project start").selectOption("116");
    await page.getByLabel("Length of stay in that residence").selectOption("3");
    await page.getByLabel("Income from any source").selectOption("0");
    await page.getByLabel("Non-cash benefits from any source").selectOption("0");
    await page.getByLabel("Survivor of domestic violence").selectOption("0");
  }
  await page.getByLabel("Disabling condition", { exact: true }).selectOption("0");
  await page.getByLabel("Covered by health insurance").selectOption("1");
  const medicaid = page.getByLabel("Medicaid", { exact: true });
  if (js) {
    await expect(medicaid).toBeVisible();
  } else {
    await expect(medicaid).toBeHidden();
    await page.getByTestId("save-continue").click();
    await expect(page.getByText("give at least one source below")).toBeVisible();
  }
  await medicaid.check();
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
  await fillEntry(page, true, js);
  if (project.includes("Street Outreach")) {
    await saveAndContinue(page, `Outreach information — ${first} ${last}`);
    await page.getByLabel("Last known location").fill("Riverfront park, north shelter house");
  }
  await saveAndContinue(page, "Review and finish");
  await page.getByTestId("finish").click();
  await expect(page.getByTestId("client-name")).toHaveText(`${first} ${last}`);
}


const json = { Accept: "application/json" };

/** The CoC time zone of the test server (scripts/e2e-server.sh uses the default). HUD
 *  dates are calendar dates there: between 18:00 and 24:00 in Chicago the UTC date is
 *  already tomorrow, so dates are never taken from the machine's (UTC) clock. */
export const COC_TIME_ZONE = "America/Chicago";

/** Today in the CoC's zone, as noon UTC of that calendar date (safe for day arithmetic). */
export function cocToday(): Date {
  const iso = new Intl.DateTimeFormat("en-CA", {
    timeZone: COC_TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date());
  return new Date(`${iso}T12:00:00Z`);
}

/** The calendar date `days` after today in the CoC's zone (negative: before), YYYY-MM-DD. */
export function daysFromToday(days: number) {
  const d = cocToday();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A YYYY-MM-DD date as the pages show it (en-US, e.g. 11/30/2026). */
export function us(iso: string) {
  return new Date(`${iso}T12:00:00Z`).toLocaleDateString("en-US", { timeZone: "UTC" });
}

/** A date `days` before today in the CoC's zone. */
export function daysAgo(days: number) {
  return daysFromToday(-days);
}

export async function call(page: Page, endpoint: string, form: Record<string, string>) {
  const response = await page.request.post(`/api/${endpoint}`, { form, headers: json });
  expect(response.ok(), `${endpoint}: ${await response.text()}`).toBeTruthy();
  return response.json();
}

const ADULT_ENTRY: Record<string, string> = {
  living_situation: "116",
  length_of_stay: "4",
  disabling_condition: "0",
  income_from_any_source: "1",
  income_Earned: "850.50",
  benefits_from_any_source: "0",
  insurance_from_any_source: "1",
  insurance_Medicaid: "yes",
  domestic_violence_survivor: "0",
};
const CHILD_ENTRY: Record<string, string> = {
  disabling_condition: "0",
  insurance_from_any_source: "1",
  insurance_SCHIP: "yes",
};

/**
 * A draft intake set up through the API as the intake pages post it: the household
 * (first name, relationship; the head first) and the project step, enrolling everyone
 * in `project` on `entryDate`. Answers the draft, the member IDs and a way to save a
 * step as its page posts it; the client and entry steps are left to the caller.
 */
export async function draftIntake(
  page: Page,
  last: string,
  people: [string, string][],
  project: string,
  entryDate: string,
) {
  const url: string = await call(page, "start_intake", { first_name: people[0][0], last_name: last });
  const draft = url.split("/")[2];
  for (const [first] of people.slice(1)) {
    await call(page, "add_household_member", { draft_id: draft, first_name: first, last_name: last });
  }
  const view = await call(page, "get_workflow", { draft_id: draft, step: "household" });
  const ids: string[] = view.step.body.Household.map((m: { personal_id: string }) => m.personal_id);
  const save = (step: string, answers: Record<string, string>) => {
    const form: Record<string, string> = { draft_id: draft, step, intent: "save" };
    for (const [k, v] of Object.entries(answers)) form[`answers[${k}]`] = v;
    return call(page, "save_workflow_step", form);
  };
  await save("household", Object.fromEntries(ids.map((id, i) => [`rel_${id}`, people[i][1]])));
  const enrollment = await call(page, "get_workflow", { draft_id: draft, step: "enrollment" });
  const projectChoice = enrollment.step.body.Form.find((f: { name: string }) => f.name === "project_id").kind.Select.find(
    (c: { label: string }) => c.label.startsWith(project),
  );
  await save("enrollment", {
    project_id: projectChoice.value,
    entry_date: entryDate,
    assign_to_me: "yes",
    ...Object.fromEntries(ids.map((id) => [`enroll_${id}`, "yes"])),
  });
  return { draft, ids, save };
}

/**
 * Precondition, set up through the API as the intake pages post it: a household of
 * new clients (first name, date of birth, relationship; the head first) enrolled in
 * `project` on `entryDate` by the signed-in user. Answers the member IDs.
 */
export async function intakeByApi(
  page: Page,
  last: string,
  people: [string, string, string][],
  project: string,
  entryDate: string,
): Promise<string[]> {
  const { draft, ids, save } = await draftIntake(
    page,
    last,
    people.map(([first, , rel]) => [first, rel]),
    project,
    entryDate,
  );
  for (const [i, id] of ids.entries()) {
    const [first, dob] = people[i];
    const adult = Number(dob.slice(0, 4)) < 2008;
    await save(`client-${id}`, {
      first_name: first,
      last_name: last,
      name_data_quality: "1",
      ssn_data_quality: "99",
      dob,
      dob_data_quality: "1",
      race_white: "yes",
      sex: "1",
      ...(adult ? { veteran_status: "0" } : {}),
    });
    const disabilities = Object.fromEntries([5, 6, 7, 8, 9, 10].map((k) => [`disability_${k}`, "0"]));
    // The head of household answers the heads-and-adults elements, whatever the age.
    await save(`entry-${id}`, { ...(adult || i === 0 ? ADULT_ENTRY : CHILD_ENTRY), ...disabilities });
  }
  if (project === "Northside Street Outreach") {
    // Street outreach asks where to find the head of household.
    await save(`outreach-${ids[0]}`, { last_known_location: "Riverfront park", best_time_to_find: "mornings" });
  }
  await call(page, "finish_workflow", { draft_id: draft });
  return ids;
}

/** Opens an action of the first enrollment's three-dot menu on a client dashboard. */
export async function enrollmentAction(page: Page, action: string) {
  const menu = page.getByTestId("enrollment").first().locator("details.action-menu");
  await menu.locator("summary").click();
  await menu.getByRole("button", { name: action }).or(menu.getByRole("link", { name: action })).click();
}
