import { test, expect, signIn, waitForHydration } from "./fixtures";

test("an HMIS admin adds a user, who must change the temporary password @nojs", async ({ page, javaScriptEnabled }, testInfo) => {
  const js = javaScriptEnabled !== false;
  const username = `e2e_${testInfo.project.name.replace(/\W/g, "")}`;
  await signIn(page, "admin", js);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
  if (js) await waitForHydration(page);

  await page.getByLabel("Username").fill(username);
  await page.getByLabel("First name").fill("Jordan");
  await page.getByLabel("Last name").fill("Blake");
  await page.getByLabel("Organization").selectOption({ label: "Riverside Family Shelter" });
  await page.getByLabel("Workgroup").selectOption({ label: "Case Manager" });
  await page.getByLabel("Temporary password", { exact: true }).fill("Temporary-42");
  await page.getByRole("button", { name: "Add user" }).click();
  const row = page.getByTestId(`user-${username}`);
  await expect(row).toContainText("Case Manager · Riverside Family Shelter");
  await expect(row).toContainText("Must change password");

  // Sign out and in as the new user: Hearth asks for a new password first.
  await page.getByRole("link", { name: /Settings for/ }).click();
  if (js) await waitForHydration(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  if (js) await waitForHydration(page);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill("Temporary-42");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/settings\/password$/);
  await expect(page.getByRole("status")).toContainText("reset by an administrator");
  if (js) await waitForHydration(page);
  await page.getByLabel("Current password").fill("Temporary-42");
  await page.getByLabel("New password", { exact: true }).fill("Riverbend-77");
  await page.getByLabel("New password again").fill("Riverbend-77");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("current-context")).toHaveText("Case Manager · Riverside Family Shelter");
});

test("the audit log shows sign-ins and offers a CSV download", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/admin/audit");
  await waitForHydration(page);
  await page.getByLabel("User").fill("admin");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/username=admin/);
  const rows = page.locator("table.data-table tbody tr");
  await expect(rows.first()).toContainText("admin");
  // On a tablet the rows are cards: each cell reads with its column's name.
  const login = page.getByRole("cell", { name: /^(Action: )?login$/ }).first();
  await expect(login).toBeVisible();
  await expect(login).toHaveAttribute("data-label", "Action");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("audit-log.csv");
});

test("a case manager sees no admin tools", async ({ page }) => {
  await signIn(page, "casemanager");
  await page.goto("/admin");
  await expect(page.getByRole("status")).toContainText("Administration is for agency and HMIS administrators");
  await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
  await page.goto("/admin/users");
  await expect(page.getByRole("alert")).toContainText("You do not have permission");
});

test("an HMIS admin adds an organization, then renames it @nojs", async ({ page, javaScriptEnabled }, testInfo) => {
  const js = javaScriptEnabled !== false;
  const name = `Harbor Light ${testInfo.project.name}`;
  await signIn(page, "admin", js);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "Organizations" }).click();
  await expect(page.getByRole("heading", { name: "Organizations", level: 1 })).toBeVisible();
  if (js) await waitForHydration(page);

  // A blank name is explained next to the field (the browser's own check is bypassed).
  await page.getByLabel("Name").evaluate((input) => input.removeAttribute("required"));
  await page.getByRole("button", { name: "Add organization" }).click();
  await expect(page.getByText("Enter the organization's name.")).toBeVisible();
  if (js) await waitForHydration(page);

  await page.getByLabel("Name").fill(name);
  await page.getByRole("checkbox", { name: /Victim service provider/ }).check();
  await page.getByRole("button", { name: "Add organization" }).click();
  const row = page.getByTestId("organization-row").filter({ hasText: name });
  await expect(row).toContainText("Victim service provider");

  await row.getByRole("link", { name: `Edit ${name}` }).click();
  await expect(page.getByRole("heading", { name: "Edit organization" })).toBeVisible();
  if (js) await waitForHydration(page);
  await expect(page.getByLabel("Name")).toHaveValue(name);
  await page.getByLabel("Name").fill(`${name} Center`);
  await page.getByRole("button", { name: "Save organization" }).click();
  await expect(page.getByTestId("organization-row").filter({ hasText: `${name} Center` })).toBeVisible();
});

test("an agency admin cannot reset a user who also works for another organization @nojs", async ({ page, javaScriptEnabled }) => {
  const js = javaScriptEnabled !== false;
  await signIn(page, "agencyadmin", js);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
  // multi works at Riverside and Northside: the HMIS admin's to reset.
  const multi = page.getByTestId("user-multi");
  await expect(multi).toContainText("Also works for another organization");
  await expect(multi.getByRole("button", { name: "Reset password" })).toHaveCount(0);
  await expect(multi.getByRole("button", { name: "End sessions" })).toHaveCount(0);
  // A Riverside-only user keeps every action.
  const casemanager = page.getByTestId("user-casemanager");
  await expect(casemanager.getByRole("button", { name: "Reset password" })).toBeVisible();
  await expect(casemanager).not.toContainText("Also works for another organization");
});
