import * as fs from "node:fs";
import { expect, signIn, test, waitForHydration } from "./fixtures";
import { zip } from "./zip";

test("an HMIS admin exports one project, downloads the zip and imports it back @nojs", async ({ page, javaScriptEnabled }) => {
  const js = javaScriptEnabled !== false;
  await signIn(page, "admin", js);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
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

/** A delta export of one client, written as another HMIS might: a two-digit year. */
function dirtyExport(): Buffer {
  const line = (cells: string[]) => cells.join(",") + "\r\n";
  const exportCsv =
    line(["ExportID", "SourceType", "SourceID", "SourceName", "SourceContactFirst", "SourceContactLast", "SourceContactPhone", "SourceContactExtension", "SourceContactEmail", "ExportDate", "ExportStartDate", "ExportEndDate", "SoftwareName", "SoftwareVersion", "CSVVersion", "ExportPeriodType", "ExportDirective", "HashStatus", "ImplementationID"]) +
    line(["x1", "3", "", "Old HMIS", "", "", "", "", "", "2026-11-01 09:00:00", "2025-10-01", "2026-09-30", "Old HMIS", "9", "2026 v1.0", "3", "1", "1", "old-hmis"]);
  const clientHeader = ["PersonalID", "FirstName", "MiddleName", "LastName", "NameSuffix", "NameDataQuality", "SSN", "SSNDataQuality", "DOB", "DOBDataQuality", "Sex", "AmIndAKNative", "Asian", "BlackAfAmerican", "HispanicLatinao", "MidEastNAfrican", "NativeHIPacific", "White", "RaceNone", "AdditionalRaceEthnicity", "VeteranStatus", "YearEnteredService", "YearSeparated", "WorldWarII", "KoreanWar", "VietnamWar", "DesertStorm", "AfghanistanOEF", "IraqOIF", "IraqOND", "OtherTheater", "MilitaryBranch", "DischargeStatus", "DateCreated", "DateUpdated", "UserID", "DateDeleted", "ExportID"];
  const client: Record<string, string> = { PersonalID: "e2e-dirty-1", FirstName: "Imported", LastName: "Client", NameDataQuality: "1", SSNDataQuality: "99", DOB: "03-11-21", DOBDataQuality: "1", AmIndAKNative: "0", Asian: "0", BlackAfAmerican: "0", HispanicLatinao: "0", MidEastNAfrican: "0", NativeHIPacific: "0", White: "1", VeteranStatus: "0", DateCreated: "2026-10-01 09:00:00", DateUpdated: "2026-10-01 09:00:00", UserID: "u1", ExportID: "x1" };
  const clientCsv = line(clientHeader) + line(clientHeader.map((c) => client[c] ?? ""));
  return zip({ "Export.csv": exportCsv, "Client.csv": clientCsv });
}

test("an import of dirty data goes through and its report lists each cell @nojs", async ({ page, javaScriptEnabled }) => {
  const js = javaScriptEnabled !== false;
  await signIn(page, "admin", js);
  await page.goto("/admin/imports");
  if (js) await waitForHydration(page);
  const name = `dirty-${js ? "js" : "nojs"}.zip`;
  await page.getByLabel("Export file (.zip)").setInputFiles({ name, mimeType: "application/zip", buffer: dirtyExport() });
  await page.getByRole("button", { name: "Upload and import" }).click();
  const job = page.getByTestId("import-job").filter({ hasText: name }).first();
  await expect(async () => {
    if (!js) await page.reload();
    await expect(job.getByTestId("job-state")).toHaveText("Imported", { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(job).toContainText("1 finding");
  await job.getByTestId("import-report-link").click();
  await expect(page.getByRole("heading", { name: "Import report", level: 1 })).toBeVisible();
  if (js) await waitForHydration(page);
  await expect(page.getByTestId("import-files")).toContainText("Client.csv");
  const findings = page.getByTestId("import-findings");
  await expect(findings).toContainText("DOB");
  await expect(findings).toContainText("03-11-21");
  await expect(findings).toContainText("Stored empty");
  // Filtered to its kind (a GET form: it works without JavaScript), the cell is still
  // listed and the CSV download carries the filter.
  await page.getByLabel("Problem").selectOption({ label: "Not a date (YYYY-MM-DD)" });
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/kind=not_a_date/);
  await expect(page.getByTestId("import-findings")).toContainText("03-11-21");
  await expect(page.getByTestId("import-report-csv")).toHaveAttribute("href", /report\.csv\?.*kind=not_a_date/);
});

test("an agency admin is not offered the export", async ({ page }) => {
  await signIn(page, "agencyadmin");
  await page.goto("/admin");
  await expect(page.getByRole("link", { name: "Projects" })).toBeVisible();
  await expect(page.getByRole("link", { name: "HMIS CSV export" })).toHaveCount(0);
  await page.goto("/admin/exports");
  await expect(page.getByRole("alert")).toContainText("You do not have permission");
});
