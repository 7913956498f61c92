import { test, expect, signIn } from "./fixtures";
import { shortIdlePort } from "../playwright.config";

// This server signs people out after 12 idle seconds; the warning shows 4 seconds before.
test.use({ baseURL: `http://127.0.0.1:${shortIdlePort}` });

test("the idle warning offers to stay signed in, then signs out for inactivity", async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, "casemanager");
  const warning = page.getByTestId("idle-warning");
  await expect(warning).toBeVisible({ timeout: 15_000 });
  await expect(warning).toContainText("you will be signed out in");

  await warning.getByRole("button", { name: "Stay signed in" }).click();
  await expect(warning).toBeHidden();

  // Doing nothing now: the warning comes back, then Hearth signs out.
  await expect(warning).toBeVisible({ timeout: 15_000 });
  await expect(page).toHaveURL(/\/login\?reason=idle$/, { timeout: 15_000 });
  await expect(page.getByRole("status")).toHaveText(/signed out after a period without activity/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
});
