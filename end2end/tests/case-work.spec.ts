import { type Page } from "@playwright/test";
import { DEMO_PASSWORD, expect, signIn, test, waitForHydration } from "./fixtures";
import {
  call,
  daysAgo,
  draftIntake,
  enrollmentAction,
  fillEntry,
  goToStep,
  intakeByApi,
  saveAndContinue,
  step,
  surname,
} from "./intake-helpers";

// Every spec shares one server and the dedup search matches the first three letters of
// first and last name (every surname here starts "Xq" + the project's letter): first
// names must not share their first three letters with a name another spec searches
// for expecting no match (clients.spec.ts: Amara, Kofi, Adaeze; casework: Odette).
//
// Case work a case manager can trust (issue 19): what one household member's page
// shows is never another member's answers, a returning client can be enrolled,
// veteran status is asked of adults only, missing answers are named, one sign-in is
// enough.

const json = { Accept: "application/json" };

/** Every answer the step's form shows: values, and which boxes are ticked. */
async function answersShown(page: Page): Promise<Record<string, string>> {
  return page.getByTestId("step-form").evaluate((form) => {
    const out: Record<string, string> = {};
    for (const el of Array.from(form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[name^="answers["]'))) {
      if (el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio")) {
        out[`${el.name}=${el.value}`] = el.checked ? "checked" : "";
      } else {
        out[el.name] = el.value;
      }
    }
    return out;
  });
}

/** The form equals what a fresh load of the same address shows. */
async function expectSameAsFreshLoad(page: Page) {
  const shown = await answersShown(page);
  expect(Object.keys(shown).length, "the step has a form").toBeGreaterThan(0);
  const fresh = await page.context().newPage();
  await fresh.goto(page.url());
  await waitForHydration(fresh);
  const loaded = await answersShown(fresh);
  await fresh.close();
  expect(shown, `${page.url()} shows what the server renders for it`).toEqual(loaded);
}

/** A draft intake of new clients (first name, relationship) into the family shelter,
 *  starting today; the client pages are left to the test. */
function draftHousehold(page: Page, last: string, people: [string, string][]) {
  return draftIntake(page, last, people, "Riverside Family Shelter", daysAgo(0));
}

test("household pages never carry one member's answers to the next: intake, exit and annual", async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const last = surname(testInfo.project.name, "hh");
  await signIn(page, "casemanager");
  const { draft, ids } = await draftHousehold(page, last, [
    ["Ines", "1"],
    ["Joel", "3"],
    ["Kira", "2"],
  ]);

  // Intake: the head's answers typed and saved, then each next member's page.
  await page.goto(`/workflows/${draft}/client-${ids[0]}`);
  await waitForHydration(page);
  await step(page, `Basic client information — Ines ${last}`);
  await page.getByLabel("SSN data quality").selectOption("8");
  await page.getByLabel("Date of birth", { exact: true }).fill("1981-02-03");
  await page.getByLabel("Date of birth data quality").selectOption("2");
  await page.getByLabel("White", { exact: true }).check();
  await page.getByLabel("Asian or Asian American", { exact: true }).check();
  await page.getByLabel("Sex", { exact: true }).selectOption("1");
  await page.getByLabel("Veteran status").selectOption("8");
  await saveAndContinue(page, `Basic client information — Joel ${last}`);
  await expectSameAsFreshLoad(page);
  await expect(page.getByLabel("Date of birth", { exact: true })).toHaveValue("");
  await page.getByLabel("SSN data quality").selectOption("99");
  await page.getByLabel("Date of birth", { exact: true }).fill("1979-07-08");
  await page.getByLabel("Date of birth data quality").selectOption("1");
  await page.getByLabel("Black, African American, or African", { exact: true }).check();
  await page.getByLabel("Sex", { exact: true }).selectOption("0");
  await page.getByLabel("Veteran status").selectOption("0");
  await saveAndContinue(page, `Basic client information — Kira ${last}`);
  await expectSameAsFreshLoad(page);
  await page.getByLabel("SSN data quality").selectOption("99");
  await page.getByLabel("Date of birth", { exact: true }).fill("2018-04-05");
  await page.getByLabel("Date of birth data quality").selectOption("1");
  await page.getByLabel("White", { exact: true }).check();
  await page.getByLabel("Sex", { exact: true }).selectOption("1");
  await saveAndContinue(page, `Entry assessment — Ines ${last}`);
  await fillEntry(page, true);
  await page.getByLabel("Income from any source").selectOption("8");
  await saveAndContinue(page, `Entry assessment — Joel ${last}`);
  await expectSameAsFreshLoad(page);
  await fillEntry(page, true);
  await saveAndContinue(page, `Entry assessment — Kira ${last}`);
  await expectSameAsFreshLoad(page);
  await fillEntry(page, false);
  await saveAndContinue(page, "Review and finish");
  await page.getByTestId("finish").click();
  await expect(page.getByTestId("client-name")).toHaveText(`Ines ${last}`);
  await waitForHydration(page);

  // Exit: the head's exit assessment answered "Client doesn't know", then the others.
  await enrollmentAction(page, "Exit the Enrollment");
  await step(page, "Exit date and destination");
  await page.getByLabel("Destination", { exact: true }).selectOption({ label: "Rental by client, no ongoing housing subsidy" });
  await page.getByLabel("Reason for leaving").selectOption({ label: "Completed program" });
  await saveAndContinue(page, `Exit assessment — Ines ${last}`);
  await page.getByTestId("default-last").click();
  await expect(page.getByLabel("Covered by health insurance")).toHaveValue("1");
  await page.getByLabel("Income from any source").selectOption("8");
  await page.getByLabel("Survivor of domestic violence").selectOption("8");
  await saveAndContinue(page, `Exit assessment — Joel ${last}`);
  await expectSameAsFreshLoad(page);
  await page.getByTestId("default-last").click();
  await expect(page.getByLabel("Covered by health insurance")).toHaveValue("1");
  await expectSameAsFreshLoad(page);
  await saveAndContinue(page, `Exit assessment — Kira ${last}`);
  await expectSameAsFreshLoad(page);
  await page.getByTestId("default-last").click();
  await expect(page.getByLabel("Covered by health insurance")).toHaveValue("1");
  await saveAndContinue(page, "Review and finish");
  await page.getByTestId("finish").click();
  await expect(page.getByTestId("client-name")).toHaveText(`Ines ${last}`);

  // Annual: a household entered 360 days ago in rapid re-housing.
  const annual = surname(testInfo.project.name, "ha");
  const family = await intakeByApi(
    page,
    annual,
    [
      ["Lena", "1983-01-02", "1"],
      ["Milo", "1982-03-04", "3"],
      ["Nia", "2017-05-06", "2"],
    ],
    "Riverside Rapid Re-Housing",
    daysAgo(360),
  );
  await page.goto(`/clients/${family[0]}`);
  await waitForHydration(page);
  await enrollmentAction(page, "Update/Annual Assessment");
  await step(page, "Program enrollment");
  await page.getByLabel("Housing move-in date").fill(daysAgo(300));
  await saveAndContinue(page, "Information date");
  await saveAndContinue(page, "Update or annual");
  await saveAndContinue(page, `Annual assessment — Lena ${annual}`);
  await page.getByTestId("default-last").click();
  await expect(page.getByLabel("Income from any source")).toHaveValue("1");
  await page.getByLabel("Survivor of domestic violence").selectOption("9");
  await page.getByLabel("Substance use disorder", { exact: true }).selectOption("8");
  await saveAndContinue(page, `Annual assessment — Milo ${annual}`);
  await expectSameAsFreshLoad(page);
  await page.getByTestId("default-last").click();
  await expect(page.getByLabel("Income from any source")).toHaveValue("1");
  await saveAndContinue(page, `Annual assessment — Nia ${annual}`);
  await expectSameAsFreshLoad(page);
  await page.getByTestId("default-last").click();
  await expect(page.getByLabel("Covered by health insurance")).toHaveValue("1");
  await saveAndContinue(page, "Review and finish");
  await page.getByTestId("finish").click();
  await expect(page.getByTestId("client-name")).toHaveText(`Lena ${annual}`);
});

test("a returning client with a full SSN on file is enrolled again @nojs", async ({ page, javaScriptEnabled }, testInfo) => {
  test.setTimeout(120_000);
  const js = javaScriptEnabled !== false;
  const last = surname(testInfo.project.name, "rt");
  await signIn(page, "casemanager", js);
  // On record from an earlier intake, with the full SSN.
  const { draft, ids, save } = await draftHousehold(page, last, [["Omar", "1"]]);
  await save(`client-${ids[0]}`, {
    first_name: "Omar",
    last_name: last,
    name_data_quality: "1",
    ssn: "123-45-6789",
    ssn_data_quality: "1",
    dob: "1975-10-11",
    dob_data_quality: "1",
    race_white: "yes",
    sex: "0",
    veteran_status: "0",
  });
  await save(`entry-${ids[0]}`, {
    living_situation: "116",
    length_of_stay: "4",
    disabling_condition: "0",
    income_from_any_source: "0",
    benefits_from_any_source: "0",
    insurance_from_any_source: "0",
    domestic_violence_survivor: "0",
    ...Object.fromEntries([5, 6, 7, 8, 9, 10].map((k) => [`disability_${k}`, "0"])),
  });
  await call(page, "finish_workflow", { draft_id: draft });

  // He comes back: Intake from his dashboard, into another of the agency's projects.
  await page.goto(`/clients/${ids[0]}`);
  if (js) await waitForHydration(page);
  await page.getByTestId("intake-this-client").click();
  await step(page, "Household");
  await saveAndContinue(page, `Basic client information — Omar ${last}`);
  await expect(page.getByText("On file: •••-••-6789")).toBeVisible();
  await expect(page.getByLabel("SSN data quality")).toHaveValue("1");
  await saveAndContinue(page, "Project and start date");
  // "No Changes" on the same page is accepted too.
  await goToStep(page, new RegExp(`Basic client information.*Omar ${last}`));
  await step(page, `Basic client information — Omar ${last}`);
  await page.getByTestId("no-changes").click();
  await step(page, "Project and start date");
});

test("veteran status is asked of adults only, and missing answers are named by the field and in the summary @nojs", async ({
  page,
  javaScriptEnabled,
}, testInfo) => {
  test.setTimeout(120_000);
  const js = javaScriptEnabled !== false;
  const last = surname(testInfo.project.name, "vt");
  await signIn(page, "casemanager", js);
  const { draft, ids } = await draftHousehold(page, last, [
    ["Pia", "1"],
    ["Quin", "2"],
  ]);
  // The child's page, date of birth typed here (not known before).
  await page.goto(`/workflows/${draft}/client-${ids[1]}`);
  if (js) await waitForHydration(page);
  await step(page, `Basic client information — Quin ${last}`);
  await page.getByLabel("SSN data quality").selectOption("99");
  await page.getByLabel("Date of birth", { exact: true }).fill("2019-08-09");
  await page.getByLabel("Date of birth data quality").selectOption("1");
  await page.getByLabel("White", { exact: true }).check();
  if (js) {
    // Hidden as soon as a child's date of birth is typed.
    await expect(page.getByLabel("Veteran status")).toBeHidden();
  }
  // Sex left empty: the server names it by its field and in the summary.
  await page.getByTestId("save-continue").click();
  await expect(page.getByTestId("validation-summary")).toContainText("Sex");
  const sex = page.getByLabel("Sex", { exact: true });
  await expect(sex).toHaveAttribute("aria-required", "true");
  await expect(page.locator(".field", { has: sex })).toContainText("Required.");
  await step(page, `Basic client information — Quin ${last}`);
  // Typed answers are kept; nothing asks the child's veteran status.
  await expect(page.getByLabel("Date of birth", { exact: true })).toHaveValue("2019-08-09");
  await sex.selectOption("1");
  await page.getByTestId("save-continue").click();
  await expect(page.getByTestId("step-title")).not.toHaveText(`Basic client information — Quin ${last}`);
  // An adult is asked.
  await page.goto(`/workflows/${draft}/client-${ids[0]}`);
  if (js) await waitForHydration(page);
  await page.getByLabel("SSN data quality").selectOption("99");
  await page.getByLabel("Date of birth", { exact: true }).fill("1990-01-02");
  await page.getByLabel("Date of birth data quality").selectOption("1");
  await page.getByLabel("White", { exact: true }).check();
  await page.getByLabel("Sex", { exact: true }).selectOption("0");
  await expect(page.getByLabel("Veteran status")).toBeVisible();
  await page.getByTestId("save-continue").click();
  await expect(page.getByTestId("validation-summary")).toContainText("Veteran status");
  await page.getByLabel("Veteran status").selectOption("0");
  await page.getByTestId("save-continue").click();
  await expect(page.getByTestId("step-title")).not.toHaveText(`Basic client information — Pia ${last}`);
});

test("one sign-in is enough over a dead session cookie; signing in as another user ends the first session", async ({
  page,
  context,
  browser,
}) => {
  const baseURL = test.info().project.use.baseURL!;
  await context.addCookies([{ name: "hearth_session", value: "a-session-that-ended", url: baseURL }]);
  await signIn(page, "casemanager");
  await page.reload();
  await expect(page.getByRole("link", { name: /Settings for/ })).toBeVisible();
  const cookies = await context.cookies();
  const casey = cookies.find((c) => c.name === "hearth_session");
  expect(casey?.value, "a session cookie").toBeTruthy();
  // Another user signs in in the same browser: Casey's session ends.
  const response = await page.request.post("/api/login", {
    form: { username: "supervisor", password: DEMO_PASSWORD },
    headers: json,
  });
  expect(response.ok()).toBeTruthy();
  const other = await browser.newContext({ baseURL });
  await other.addCookies([{ ...casey!, expires: -1 }]);
  const stale = await other.newPage();
  await stale.goto("/");
  await expect(stale).toHaveURL(/\/login/);
  await other.close();
});

test("unavailable menu actions look and read as unavailable, with the reason", async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000);
  const last = surname(testInfo.project.name, "ro");
  // Northside's client, seen from Riverside: the writing actions are out of reach.
  const outreach = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const theirs = await outreach.newPage();
  await signIn(theirs, "outreach");
  const ids = await intakeByApi(theirs, last, [["Rory", "1980-01-01", "1"]], "Northside Street Outreach", daysAgo(10));
  await outreach.close();
  await signIn(page, "casemanager");
  await page.goto(`/clients/${ids[0]}`);
  await waitForHydration(page);
  const menu = page.getByTestId("enrollment").first().locator("details.action-menu");
  await menu.locator("summary").click();
  const exit = menu.getByRole("link", { name: "Exit the Enrollment", disabled: true });
  await expect(exit).toHaveAttribute("aria-disabled", "true");
  await expect(exit).toHaveAccessibleDescription(/Read-only: this enrollment belongs to another organization/);
  // It does not look like the links beside it.
  const available = menu.getByRole("link", { name: "Services" });
  const style = (l: import("@playwright/test").Locator) =>
    l.evaluate((el) => {
      const s = getComputedStyle(el);
      return { color: s.color, underline: s.textDecorationLine, cursor: s.cursor };
    });
  const off = await style(exit);
  const on = await style(available);
  expect(off.color).not.toEqual(on.color);
  expect(off.underline).not.toEqual(on.underline);
  expect(off.cursor).toEqual("not-allowed");
});

test("members who exited together re-enter together, any one left out @nojs", async ({ page, javaScriptEnabled }, testInfo) => {
  test.setTimeout(120_000);
  const js = javaScriptEnabled !== false;
  const last = surname(testInfo.project.name, "rx");
  await signIn(page, "casemanager", js);
  const ids = await intakeByApi(
    page,
    last,
    [
      ["Yara", "1985-01-01", "1"],
      ["Zeke", "1984-02-02", "3"],
      ["Abel", "2016-03-03", "2"],
    ],
    "Riverside Family Shelter",
    daysAgo(10),
  );
  // The whole household exits (no exit interview: confirmation taps only).
  const exit = await call(page, "start_workflow", { enrollment_id: await enrollmentOf(page, ids[0]), kind: "exit" });
  const draft = exit.split("/")[2];
  const form = (stepId: string, intent: string, answers: Record<string, string> = {}) => {
    const f: Record<string, string> = { draft_id: draft, step: stepId, intent };
    for (const [k, v] of Object.entries(answers)) f[`answers[${k}]`] = v;
    return call(page, "save_workflow_step", f);
  };
  await form("exit", "save", {
    exit_date: daysAgo(1),
    destination: "30",
    ...Object.fromEntries(ids.map((id) => [`exit_${id}`, "yes"])),
  });
  for (const id of ids) await form(`exit-${id}`, "no_changes");
  await call(page, "finish_workflow", { draft_id: draft });

  await page.goto(`/clients/${ids[0]}`);
  if (js) await waitForHydration(page);
  await expect(page.getByTestId("enrollment").first()).toContainText("Exited");
  await enrollmentAction(page, "Re-enter the Enrollment");
  const together = page.getByTestId("re-enter-together");
  await expect(together.getByLabel(`Re-enter Zeke ${last} (Spouse or partner) too`)).toBeChecked();
  await expect(together.getByLabel(`Re-enter Abel ${last} (Child) too`)).toBeChecked();
  // Zeke stays exited.
  await together.getByLabel(`Re-enter Zeke ${last} (Spouse or partner) too`).uncheck();
  await page.getByRole("button", { name: "Re-enter the enrollment" }).click();
  await expect(page.getByTestId("client-name")).toHaveText(`Yara ${last}`);
  const enrollment = page.getByTestId("enrollment").first();
  await expect(enrollment).toContainText("Open");
  await expect(page.getByTestId("partial-exit")).toBeVisible();
  const members = enrollment.locator(".household li");
  await expect(members.filter({ hasText: `Zeke ${last}` })).toContainText("exited");
  await expect(members.filter({ hasText: `Abel ${last}` })).not.toContainText("exited");
});

/** The enrollment ID of a client's first enrollment, as the dashboard lists it. */
async function enrollmentOf(page: Page, personalId: string): Promise<string> {
  const dashboard = await call(page, "get_client_dashboard", { personal_id: personalId });
  return dashboard.enrollments[0].enrollment_id;
}

test("the audit log hydrates from the rows its HTML shows while others write rows", async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000);
  const baseURL = testInfo.project.use.baseURL!;
  // A case manager looks at a client over and over: each view writes an audit row.
  const writer = await browser.newContext({ baseURL });
  const casey = await writer.newPage();
  await signIn(casey, "casemanager");
  const [client] = await intakeByApi(casey, surname(testInfo.project.name, "al"), [["Ulla", "1980-01-01", "1"]], "Riverside Family Shelter", daysAgo(1));
  let writing = true;
  const views = (async () => {
    while (writing) {
      await casey.request.post("/api/get_client_dashboard", { form: { personal_id: client }, headers: json });
    }
  })();
  await signIn(page, "admin");
  for (let i = 0; i < 6; i++) {
    await page.goto(`/admin/audit?personal_id=${client}`);
    await waitForHydration(page);
    await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  }
  writing = false;
  await views;
  await writer.close();
  // The fixture fails the test on any page error (the tachys hydration panic was one).
});
