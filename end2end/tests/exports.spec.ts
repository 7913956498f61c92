import * as fs from "node:fs";
import { expect, signIn, test, waitForHydration } from "./fixtures";

test("an HMIS admin exports one project, downloads the zip and imports it back @nojs", async ({ page, javaScriptEnabled }) => {
  const js = javaScriptEnabled !== false;
  await signIn(page, "admin", js);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await page.getByRole("link", { name: "HMIS CSV export" }).click();
  await expect(page.getByRole("heading", { name: "HMIS CSV export", level: 1 })).toBeVisible();
  if (js) await waitForHydration(page);

  await page.getByLabel("Projects").selectOption({ label: "Northside Street Outreach — Northside Street Outreach" });
  await page.getByRole("button", { name: "Start export" }).click();

  const job = page.getByTestId("export-job").filter({ hasText: "Northside Street Outreach" }).first();
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

  // The same file imports back (rows are matched by their IDs, so nothing doubles).
  const zip = await file.path();
  await page.getByRole("link", { name: "← Admin" }).click();
  await page.getByRole("link", { name: "HMIS CSV import" }).click();
  await expect(page.getByRole("heading", { name: "HMIS CSV import", level: 1 })).toBeVisible();
  if (js) await waitForHydration(page);
  await page.getByLabel("Export file (.zip)").setInputFiles({ name: "round-trip.zip", mimeType: "application/zip", buffer: fs.readFileSync(zip) });
  await page.getByRole("button", { name: "Upload and import" }).click();
  const imported = page.getByTestId("import-job").filter({ hasText: "round-trip.zip" }).first();
  await expect(async () => {
    if (!js) await page.reload();
    await expect(imported.getByTestId("job-state")).toHaveText("Imported", { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
});

test("an upload that is not an HMIS CSV export is refused with the reason @nojs", async ({ page, javaScriptEnabled }) => {
  const js = javaScriptEnabled !== false;
  await signIn(page, "admin", js);
  await page.goto("/admin/imports");
  if (js) await waitForHydration(page);
  // A zip without Export.csv: refused as a whole, with the reason; nothing is imported.
  const empty = Buffer.from("504b0506000000000000000000000000000000000000", "hex");
  await page.getByLabel("Export file (.zip)").setInputFiles({ name: "empty.zip", mimeType: "application/zip", buffer: empty });
  await page.getByRole("button", { name: "Upload and import" }).click();
  const job = page.getByTestId("import-job").filter({ hasText: "empty.zip" }).first();
  await expect(async () => {
    if (!js) await page.reload();
    await expect(job.getByTestId("job-state")).toHaveText("Failed", { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(job).toContainText("1 problem(s) found; nothing was imported.");
  await expect(job.getByTestId("import-problems")).toContainText("Export.csv");
  await expect(job.getByTestId("import-problems")).toContainText("the file is missing from the zip");
});

test("an agency admin is not offered the export", async ({ page }) => {
  await signIn(page, "agencyadmin");
  await page.goto("/admin");
  await expect(page.getByRole("link", { name: "Projects" })).toBeVisible();
  await expect(page.getByRole("link", { name: "HMIS CSV export" })).toHaveCount(0);
  await page.goto("/admin/exports");
  await expect(page.getByRole("alert")).toContainText("You do not have permission");
});
