import { expect, signIn, test, waitForHydration } from "./fixtures";
import { intakeOne, surname } from "./intake-helpers";

test("street outreach: intake with outreach information, a contact and a service, a shared note in the profile @nojs", async ({ page, javaScriptEnabled }, testInfo) => {
  const js = javaScriptEnabled !== false;
  test.setTimeout(120_000);
  const last = surname(testInfo.project.name, "o");
  await signIn(page, "outreach", js);
  await intakeOne(page, "Odette", last, "Northside Street Outreach", js);

  // Services and contacts from the enrollment's menu.
  if (js) await waitForHydration(page);
  await page.getByTestId("enrollment").locator("summary").click();
  await page.getByRole("link", { name: "Services" }).click();
  await expect(page.getByRole("heading", { name: "Services", level: 1 })).toBeVisible();
  if (js) await waitForHydration(page);
  const contact = page.getByTestId("add-contact");
  await contact.getByLabel("Current living situation").selectOption("116");
  await contact.getByLabel("Location details (optional)").fill("Under the 5th St bridge");
  await contact.getByRole("button", { name: "Save contact" }).click();
  await expect(page.getByTestId("contacts")).toContainText("Under the 5th St bridge");
  const service = page.getByTestId("add-service");
  await service.getByLabel("Service", { exact: true }).selectOption({ label: "Re-engagement" });
  await service.getByRole("button", { name: "Save service" }).click();
  await expect(page.getByText("Choose a service from the list.")).toHaveCount(0);
  await expect(page.getByTestId("services")).toContainText("Re-engagement");

  // The profile: the outreach information from the intake, and a note shared with every agency.
  await page.getByRole("link", { name: `← Odette ${last}` }).click();
  await page.getByRole("link", { name: "Profile" }).click();
  await expect(page.getByTestId("profile-outreach")).toContainText("Riverfront park, north shelter house");
  if (js) await waitForHydration(page);
  const notes = page.getByTestId("profile-note");
  await expect(notes).toContainText("Notes are shared with every agency in the CoC");
  await notes.getByText("Add a note").click();
  await notes.getByLabel("Date", { exact: true }).fill("2026-01-05");
  await notes.getByLabel("Note", { exact: true }).fill("Prefers to meet at the library.");
  await notes.getByRole("button", { name: "Save shared note" }).click();
  await expect(notes.getByTestId("profile-record")).toContainText("Prefers to meet at the library.");
});
