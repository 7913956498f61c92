import { expect, signIn, test, waitForHydration } from "./fixtures";
import { daysAgo, intakeByApi, surname, us } from "./intake-helpers";

// Administrative exits as the HMIS lead does them: find households without activity in
// a project, pick one, preview exactly what changes, run it and watch the progress bar
// finish; the agency admin then sees the exit in their organization's list. Desktop
// only (HMIS admins work at desks); the household is this test's own.

test("@desktop an HMIS admin previews and runs an administrative exit; the agency admin sees it", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const last = surname(testInfo.project.name, "ax");
  await signIn(page, "casemanager");
  const [head] = await intakeByApi(
    page,
    last,
    [
      ["Wren", "1980-02-14", "1"],
      ["Ash", "2015-09-30", "2"],
    ],
    "Riverside Family Shelter",
    daysAgo(200),
  );

  await page.context().clearCookies();
  await signIn(page, "admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "Administrative exits", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Administrative exits", level: 1 })).toBeVisible();
  await waitForHydration(page);
  await page.getByLabel("Project", { exact: true }).selectOption({ label: "Riverside Family Shelter" });
  await page.getByLabel("Days without activity").fill("150");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByTestId("candidates-total")).toContainText("without activity for 150 days");
  // Oldest activity first: turn the pages until the household shows.
  const row = page.getByTestId("candidate-row").filter({ hasText: `Wren ${last}` });
  for (let i = 0; i < 20 && (await row.count()) === 0; i++) {
    await page.getByRole("link", { name: "Next" }).click();
    await waitForHydration(page);
  }
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(`with Ash ${last}`);
  await expect(row.getByRole("cell").nth(4)).toHaveText("200");
  await row.getByRole("checkbox", { name: `Select the household of Wren ${last}` }).check();
  await page.getByTestId("preview-admin-exit").click();

  // The preview: exactly these two rows, nothing changed yet.
  await expect(page.getByRole("heading", { name: "Administrative exit", level: 1 })).toBeVisible();
  await expect(page.getByTestId("plan-summary")).toHaveText(
    "1 household (2 enrollments) will exit: destination 30 No exit interview completed, reason Administrative Exit.",
  );
  const rows = page.getByTestId("plan-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(`Wren ${last}`);
  await expect(rows.nth(0)).toContainText("Head of household");
  await expect(rows.nth(1)).toContainText(`Ash ${last}`);
  for (const i of [0, 1]) await expect(rows.nth(i).getByRole("cell").nth(4)).toHaveText(us(daysAgo(200)));
  await waitForHydration(page);
  await page.getByTestId("run-admin-exit").click();

  // The job runs with a progress bar, and finishes.
  const status = page.getByTestId("admin-exit-status");
  await expect(status.getByRole("progressbar", { name: "Progress" })).toBeVisible();
  await expect(status.getByTestId("job-state")).toHaveText("Done", { timeout: 30_000 });
  await expect(page.getByTestId("admin-exit-progress")).toHaveText("1 of 1 households");
  await expect(page.getByTestId("admin-exit-message")).toHaveText("Exited 1 household(s) (2 enrollment(s)); 0 not exited.");
  await expect(page.getByTestId("plan-summary")).toContainText("1 household (2 enrollments) exit:");
  await expect(page.getByTestId("run-admin-exit")).toHaveCount(0);

  await page.goto(`/clients/${head}`);
  await expect(page.getByTestId("enrollment").first()).toContainText("Exited");

  // The agency admin's list of administrative exits in their organization.
  await page.context().clearCookies();
  await signIn(page, "agencyadmin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
  await page.getByRole("link", { name: "Administrative exits done" }).click();
  await expect(page.getByRole("heading", { name: "Administrative exits done", level: 1 })).toBeVisible();
  const done = page.getByTestId("admin-exit-done").filter({ hasText: last });
  await expect(done).toHaveCount(2);
  await expect(done.first().getByRole("cell").nth(3)).toHaveText(us(daysAgo(200)));
});
