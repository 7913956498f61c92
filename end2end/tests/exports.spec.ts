import { expect, signIn, test, waitForHydration } from "./fixtures";

test("an HMIS admin exports the HMIS CSV and downloads the zip @nojs", async ({ page, javaScriptEnabled }) => {
  const js = javaScriptEnabled !== false;
  await signIn(page, "admin", js);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await page.getByRole("link", { name: "HMIS CSV export" }).click();
  await expect(page.getByRole("heading", { name: "HMIS CSV export", level: 1 })).toBeVisible();
  if (js) await waitForHydration(page);

  await page.getByLabel("Projects").selectOption({ label: "Northside Street Outreach — Northside Street Outreach" });
  await page.getByRole("checkbox", { name: /Hash names and SSNs/ }).check();
  await page.getByRole("button", { name: "Start export" }).click();

  const job = page.getByTestId("export-job").filter({ hasText: "Northside Street Outreach · hashed" }).first();
  if (js) {
    // The page follows the export on its own.
    await expect(job).toContainText("Ready", { timeout: 30_000 });
  } else {
    // Without JavaScript the person refreshes the page.
    await expect(async () => {
      await page.reload();
      await expect(job).toContainText("Ready", { timeout: 500 });
    }).toPass({ timeout: 30_000 });
  }
  const download = page.waitForEvent("download");
  await job.getByRole("link", { name: "Download zip" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^hmis-csv-\d{4}-\d{2}-\d{2}\.zip$/);
});

test("an agency admin is not offered the export", async ({ page }) => {
  await signIn(page, "agencyadmin");
  await page.goto("/admin");
  await expect(page.getByRole("link", { name: "Projects" })).toBeVisible();
  await expect(page.getByRole("link", { name: "HMIS CSV export" })).toHaveCount(0);
  await page.goto("/admin/exports");
  await expect(page.getByRole("alert")).toContainText("You do not have permission");
});
