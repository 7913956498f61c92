import { expect, signIn, test, waitForHydration } from "./fixtures";
import { daysAgo, intakeByApi, surname } from "./intake-helpers";

// The data-quality report as a supervisor reads it: an integrity error planted by an
// intake (a child as head of household, which HUD's checks flag) shows in the report,
// its count opens the records, the record opens the client. Desktop only: supervisors
// review at a desk, and the count is shared by every test on the server.

test("@desktop the data-quality report lists a planted integrity error and links to it", async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const last = surname(testInfo.project.name, "dq");
  await signIn(page, "casemanager");
  await intakeByApi(page, last, [["Kit", "2013-04-01", "1"]], "Riverside Transitional Living", daysAgo(3));

  await page.context().clearCookies();
  await signIn(page, "supervisor");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
  await page.getByRole("link", { name: "Data quality", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Data quality", level: 1 })).toBeVisible();
  await waitForHydration(page);
  await page.getByLabel("Project", { exact: true }).selectOption({ label: "Riverside Transitional Living" });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByTestId("dq-summary")).toContainText("integrity error(s)");
  const row = page.getByTestId("dq-integrity-row").filter({ hasText: "Child as head of household" });
  const count = row.getByTestId("dq-child_head");
  await expect(count).toHaveText(/^[1-9]\d*$/);
  await count.click();

  await expect(page.getByRole("heading", { name: "Child as head of household", level: 1 })).toBeVisible();
  const record = page.getByTestId("dq-record").filter({ hasText: `Kit ${last}` });
  await expect(record).toHaveCount(1);
  await expect(record).toContainText("Riverside Transitional Living");
  await expect(record).toContainText("Born 4/1/2013");
  const href = await page.getByTestId("dq-records-csv").getAttribute("href");
  const csv = await (await page.request.get(href!)).text();
  expect(csv.split("\n").filter((line) => line.includes(`Kit,`) || line.includes(`Kit ${last}`))).toHaveLength(1);
  await waitForHydration(page);
  await record.getByRole("link", { name: `Kit ${last}` }).click();
  await expect(page.getByTestId("client-name")).toHaveText(`Kit ${last}`);
});
