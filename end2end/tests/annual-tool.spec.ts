import { readFileSync } from "node:fs";
import { type Page } from "@playwright/test";
import { expect, signIn, test, waitForHydration } from "./fixtures";
import { cocToday, daysAgo, enrollmentAction, intakeByApi, saveAndContinue, step, surname, us } from "./intake-helpers";

// Edit Project Entry, the Annual Assessment Tool and the Client Milestone Age Status
// report, as a case manager uses them. Tagged @tablet so one browser project runs them
// (the tool's lists are shared by every test on the server).

async function dashboard(page: Page, personalId: string) {
  await page.goto(`/clients/${personalId}`);
  await waitForHydration(page);
}


/** The date of birth of someone who turns 18 `days` from today (negative: ago). */
function turning18In(days: number) {
  const d = cocToday();
  d.setUTCDate(d.getUTCDate() + days);
  d.setUTCFullYear(d.getUTCFullYear() - 18);
  return d.toISOString().slice(0, 10);
}

test("@tablet Edit Project Entry moves the start date and every entry assessment date follows", async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const last = surname(testInfo.project.name, "pe");
  await signIn(page, "casemanager");
  const ids = await intakeByApi(
    page,
    last,
    [
      ["Rosa", "1984-03-08", "1"],
      ["Tomas", "2016-07-19", "2"],
    ],
    "Riverside Family Shelter",
    daysAgo(20),
  );
  await dashboard(page, ids[0]);
  await expect(page.getByTestId("assessments").first()).toHaveText(`Assessments: Entry ${us(daysAgo(20))}`);
  await enrollmentAction(page, "Edit Project Entry Workflow");
  await step(page, "Project start date");
  await expect(page.getByLabel(`Rosa ${last}: project start date`)).toHaveValue(daysAgo(20));
  await page.getByLabel(`Rosa ${last}: project start date`).fill(daysAgo(25));
  await page.getByLabel(`Tomas ${last}: project start date`).fill(daysAgo(25));
  await saveAndContinue(page, `Entry assessment — Rosa ${last}`);
  await expect(page.getByTestId("step-intro")).toContainText(us(daysAgo(25)));
  await expect(page.getByLabel("Income from any source")).toHaveValue("1");
  await page.getByTestId("no-changes").click();
  await step(page, `Entry assessment — Tomas ${last}`);
  await page.getByTestId("no-changes").click();
  await step(page, "Review and finish");
  const review = page.getByTestId("review");
  await expect(review).toContainText(`${us(daysAgo(20))} → ${us(daysAgo(25))}`);
  await expect(review).toContainText(`move to ${us(daysAgo(25))}`);
  await page.getByTestId("finish").click();
  await expect(page.getByTestId("client-name")).toHaveText(`Rosa ${last}`);
  const enrollment = page.getByTestId("enrollment").first();
  await expect(enrollment).toContainText(`Since ${us(daysAgo(25))}`);
  await expect(page.getByTestId("assessments").first()).toHaveText(`Assessments: Entry ${us(daysAgo(25))}`);
  // The child's entry assessment moved too.
  await dashboard(page, ids[1]);
  await expect(page.getByTestId("assessments").first()).toHaveText(`Assessments: Entry ${us(daysAgo(25))}`);
});

test("@tablet the tool filtered by project lists the enrollments due and its CSV matches the screen", async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const last = surname(testInfo.project.name, "at");
  const project = "Riverside Transitional Living";
  await signIn(page, "casemanager");
  const due = await intakeByApi(
    page,
    last,
    [
      ["Vera", "1980-01-15", "1"],
      ["Milo", "2014-04-04", "2"],
    ],
    project,
    daysAgo(360),
  );
  const notDue = await intakeByApi(page, `${last}b`, [["Noel", "1975-06-06", "1"]], project, daysAgo(100));

  // Home: the card counts what is due and opens the tool.
  await page.goto("/");
  await waitForHydration(page);
  await expect(page.getByTestId("annual-due-card")).toBeVisible();
  await page.getByTestId("annual-due-organization").click();
  await expect(page.getByRole("heading", { name: "Annual Assessment Tool", level: 1 })).toBeVisible();
  await waitForHydration(page);
  const select = page.getByLabel("Project", { exact: true });
  const value = await select.locator("option", { hasText: project }).getAttribute("value");
  await select.selectOption(value!);
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`project_id=${value}`));
  const rows = page.getByTestId("annual-row");
  const client = (name: string) => rows.filter({ has: page.locator("td:first-child", { hasText: name }) });
  await expect(client(`Vera ${last}`)).toHaveCount(1);
  await expect(client(`Milo ${last}`)).toHaveCount(1);
  await expect(client(`Noel ${last}b`)).toHaveCount(0);
  // The child's row names the head of household.
  await expect(client(`Milo ${last}`).locator("td").nth(1)).toHaveText(`Vera ${last}`);
  const count = await rows.count();
  for (let i = 0; i < count; i++) {
    await expect(rows.nth(i).locator("td").nth(2)).toHaveText(project);
  }
  await expect(page.getByTestId("annual-total")).toContainText(`${count} household member`);
  const ours = client(`Vera ${last}`);
  await expect(ours.locator("td").nth(3)).toHaveText(us(daysAgo(360)));

  // The CSV: the same people in the same order.
  const shown = await rows.locator("td:first-child a").evaluateAll((links) =>
    links.map((a) => (a as HTMLAnchorElement).getAttribute("href")!.split("/").pop()),
  );
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("annual-csv").click()]);
  const csv = readFileSync((await download.path())!, "utf8").trim().split(/\r?\n/);
  expect(csv[0]).toContain("PersonalID,Client,HeadOfHousehold,Project");
  expect(csv.slice(1).map((line) => line.split(",")[0])).toEqual(shown);
  expect(shown).toContain(due[0]);
  expect(shown).not.toContain(notDue[0]);

  // The row's menu: complete the annual assessment.
  await ours.locator("summary").click();
  await ours.getByRole("button", { name: "Complete the Annual Assessment" }).click();
  await step(page, "Program enrollment");
});

test("@tablet the milestone report lists a client who turned 18", async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const last = surname(testInfo.project.name, "ms");
  const project = "Riverside Transitional Living";
  await signIn(page, "casemanager");
  await intakeByApi(
    page,
    last,
    [
      ["Greta", "1979-05-05", "1"],
      ["Hanna", turning18In(-40), "2"],
    ],
    project,
    daysAgo(100),
  );
  await page.goto("/");
  await waitForHydration(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
  await page.getByRole("link", { name: "Client Milestone Age Status" }).click();
  await expect(page.getByRole("heading", { name: "Client Milestone Age Status", level: 1 })).toBeVisible();
  await waitForHydration(page);
  const select = page.getByLabel("Project", { exact: true });
  await select.selectOption((await select.locator("option", { hasText: project }).getAttribute("value"))!);
  await page.getByRole("button", { name: "Show", exact: true }).click();
  const hanna = page.getByTestId("milestone-row").filter({ hasText: `Hanna ${last}` });
  await expect(hanna).toHaveCount(1);
  await expect(hanna.locator("td").nth(2)).toHaveText(us(daysAgo(40)));
  await expect(hanna).toContainText("Prior living situation (3.917)");
  await expect(hanna).toContainText("Income and benefits (4.02–4.03)");
  await expect(page.getByTestId("milestone-row").filter({ hasText: `Greta ${last}` })).toHaveCount(0);
  // Its menu opens the update for the household.
  await hanna.locator("summary").click();
  await hanna.getByRole("button", { name: "Update Assessment" }).click();
  await step(page, "Program enrollment");
});
