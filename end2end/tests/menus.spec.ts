import { expect, signIn, test, waitForHydration } from "./fixtures";

// The "⋯" row menus on the priority list (households other tests and the server's data
// put there, not made by this test): named for their rows, one open at a time, closed
// by a tap outside or Escape, each item a whole-row tap target. The page is only read.
// The other menu opened is the last row's: an open menu covers the rows under its
// button (on a desktop, the next row's ⋯ too), and a person taps a button they see.

test("row menus are named for their rows, open one at a time and close on a tap outside or Escape", async ({ page }) => {
  await signIn(page, "plm");
  await page.goto("/coordinated-entry");
  await waitForHydration(page);
  const rows = page.getByTestId("priority-row");
  await expect(rows.nth(5)).toBeVisible();

  // Every ⋯ says whose row it acts on.
  const names = await page
    .locator("details.action-menu > summary")
    .evaluateAll((buttons) => buttons.map((b) => b.getAttribute("aria-label") ?? ""));
  expect(names.length).toBeGreaterThan(1);
  expect(new Set(names).size, "no two menus share a name").toBe(names.length);
  for (const name of names) expect(name).toMatch(/^Actions for .+'s household, rank \d+$/);

  const first = rows.nth(0).locator("details.action-menu");
  const second = rows.last().locator("details.action-menu");
  await first.locator("summary").click();
  await expect(first).toHaveAttribute("open", "");

  // Its items answer a tap anywhere on their row, not only on their line of text.
  const item = first.getByRole("link", { name: "Open the dashboard" });
  const box = await item.boundingBox();
  expect(box, "the item is drawn").not.toBeNull();
  expect(box!.height).toBeGreaterThanOrEqual(44);

  // Opening another menu closes the first.
  await second.locator("summary").click();
  await expect(second).toHaveAttribute("open", "");
  await expect(first).not.toHaveAttribute("open");

  // A tap outside closes it.
  await page.getByRole("heading", { level: 1 }).click();
  await expect(second).not.toHaveAttribute("open");

  // Escape closes it and gives the focus back to its button.
  await first.locator("summary").click();
  await expect(first).toHaveAttribute("open", "");
  await page.keyboard.press("Escape");
  await expect(first).not.toHaveAttribute("open");
  await expect(first.locator("summary")).toBeFocused();
});
