import { expect, signIn, test, waitForHydration } from "./fixtures";

test("an agency admin adds a project, gives it a CoC and a funder, and edits it @nojs", async ({ page, javaScriptEnabled }, testInfo) => {
  const js = javaScriptEnabled !== false;
  const name = `Riverside Youth Shelter ${testInfo.project.name}`;
  await signIn(page, "agencyadmin", js);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "Projects" }).click();
  await expect(page.getByRole("heading", { name: "Projects", level: 1 })).toBeVisible();
  // Only their organization's projects.
  await expect(page.getByTestId("project-row").filter({ hasText: "Riverside Family Shelter" }).first()).toBeVisible();
  await expect(page.getByTestId("project-row").filter({ hasText: "Northside" })).toHaveCount(0);
  if (js) await waitForHydration(page);

  // A shelter without a housing type is explained next to the field.
  await page.getByLabel("Project name").fill(name);
  await page.getByLabel("HUD project type").selectOption({ label: "Emergency Shelter - Entry Exit" });
  await page.getByRole("button", { name: "Add project" }).click();
  await expect(page.getByText("Choose the housing type.")).toBeVisible();
  if (js) await waitForHydration(page);

  await page.getByLabel("Project name").fill(name);
  await page.getByLabel("HUD project type").selectOption({ label: "Emergency Shelter - Entry Exit" });
  await page.getByLabel("Housing type").selectOption({ label: "Site-based - single site" });
  await page.getByLabel("Operating since").fill("2025-02-01");
  await page.getByRole("button", { name: "Add project" }).click();

  // The new project's page opens.
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/projects\/[0-9a-f]{32}$/);
  if (js) await waitForHydration(page);

  await page.getByLabel("CoC", { exact: true }).selectOption("MO-500");
  await page.getByLabel("Geocode").fill("299189");
  await page.getByRole("button", { name: "Add CoC" }).click();
  await expect(page.getByTestId("coc-row")).toContainText("MO-500 St. Louis County CoC · geocode 299189");
  if (js) await waitForHydration(page);

  await page.getByLabel("Funding source", { exact: true }).selectOption({ label: "HUD: ESG - Emergency Shelter (operating and/or essential services)" });
  await page.getByLabel("Grant ID").fill("E-25-UC-29-0001");
  await page.getByLabel("Grant start").fill("2025-07-01");
  await page.getByRole("button", { name: "Add funding source" }).click();
  await expect(page.getByTestId("funder-row")).toContainText("grant E-25-UC-29-0001 · since Jul 1, 2025");
  if (js) await waitForHydration(page);

  await page.getByLabel("Auto-exit after days without contact").fill("90");
  await page.getByLabel("Alert after days without contact").fill("60");
  await page.getByRole("button", { name: "Save project" }).click();
  if (js) await expect(page.getByRole("status").filter({ hasText: "Project saved." })).toBeVisible();
  await expect(page.getByLabel("Auto-exit after days without contact")).toHaveValue("90");

  await page.getByRole("link", { name: "← Projects" }).click();
  const row = page.getByTestId("project-row").filter({ hasText: name });
  await expect(row).toContainText("Emergency Shelter - Entry Exit");
  await expect(row).toContainText("MO-500");
  await expect(row).toContainText("Since Feb 1, 2025");
});

test("a new project's dates default to the Back Date", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/settings");
  await waitForHydration(page);
  await page.getByLabel("Back date").fill("2026-01-15");
  await page.getByRole("button", { name: "Set back date" }).click();
  await expect(page.getByTestId("back-date-banner")).toBeVisible();
  await page.goto("/admin/projects");
  await waitForHydration(page);
  await expect(page.getByLabel("Operating since")).toHaveValue("2026-01-15");
  await page.goto("/settings");
  await waitForHydration(page);
  await page.getByRole("button", { name: "Clear back date" }).click();
  await expect(page.getByTestId("back-date-banner")).toHaveCount(0);
});
