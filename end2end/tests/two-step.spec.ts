import { test, expect, waitForHydration, totpCode, createCaseManager } from "./fixtures";
import type { Page } from "@playwright/test";

async function signInWithPassword(page: Page, username: string, password: string, js: boolean) {
  await page.goto("/login");
  if (js) await waitForHydration(page);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a case manager turns on two-step sign-in and signs in with a code @nojs", async ({ page, request, javaScriptEnabled }, testInfo) => {
  const js = javaScriptEnabled !== false;
  const username = `e2e_2fa_${testInfo.project.name.replace(/\W/g, "")}`;
  await createCaseManager(request, username);

  // First sign-in: choose a password of their own.
  await signInWithPassword(page, username, "Temporary-42", js);
  await expect(page).toHaveURL(/\/settings\/password$/);
  if (js) await waitForHydration(page);
  await page.getByLabel("Current password").fill("Temporary-42");
  await page.getByLabel("New password", { exact: true }).fill("Riverbend-77");
  await page.getByLabel("New password again").fill("Riverbend-77");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/$/);

  // Settings → turn on two-step sign-in: scan (here: read) the key, confirm with a code.
  await page.getByRole("link", { name: /Settings for/ }).click();
  await expect(page.getByTestId("two-step-status")).toContainText("Off.");
  if (js) await waitForHydration(page);
  await page.getByRole("link", { name: "Turn on two-step sign-in" }).click();
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const key = (await page.getByTestId("two-step-key").textContent()) ?? "";
  expect(key.replace(/\s/g, "")).toMatch(/^[A-Z2-7]{32}$/);
  if (js) await waitForHydration(page);

  // A mistyped code is explained next to the field; the key stays the same.
  await page.getByLabel("Code from the app").fill("000000");
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByText("That code is not right")).toBeVisible();
  await expect(page.getByTestId("two-step-key")).toHaveText(key);
  if (js) await waitForHydration(page);

  await page.getByLabel("Code from the app").fill(totpCode(key));
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByTestId("two-step-status")).toContainText("On: signing in asks for a code");
  if (js) await waitForHydration(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);

  // Next sign-in: the password, then the code (the next one: a code works once).
  await signInWithPassword(page, username, "Riverbend-77", js);
  await expect(page).toHaveURL(/\/login\/code$/);
  await expect(page.getByRole("heading", { name: "Enter your sign-in code" })).toBeVisible();
  if (js) await waitForHydration(page);
  await page.getByLabel("6-digit code from your authenticator app").fill(totpCode(key, Date.now() + 30_000));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("current-context")).toHaveText("Case Manager · Riverside Family Shelter");
});
