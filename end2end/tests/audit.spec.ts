import AxeBuilder from "@axe-core/playwright";
import { type Page } from "@playwright/test";
import { expect, signIn, test, waitForHydration } from "./fixtures";
import { call, daysAgo, draftIntake, surname } from "./intake-helpers";

// Every main page on a tablet (768×1024, touch), as each role meets it with the demo
// data: no WCAG 2.1 AA violation (axe), and nothing to tap smaller than 44×44 CSS px.

/** What a person taps smaller than 44×44 on the page: a tick's target is its label;
 *  links inside a sentence are exempt (WCAG 2.5.5's inline exception). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex='0']";
    const small: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      // Drawn and on screen: not in a folded menu or list, not hidden.
      if (!el.checkVisibility({ contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true })) continue;
      if (el.closest("details:not([open])") && !el.matches("details > summary")) continue;
      if (el.closest(".visually-hidden")) continue;
      const ticked = el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio");
      const target = (ticked && el.closest("label")) || el;
      const inSentence = el.tagName === "A" && el.closest("p.prose, .notice, .lead") !== null;
      if (inSentence) continue;
      const box = target.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (Math.round(box.width) < 44 || Math.round(box.height) < 44) {
        const name = (el.getAttribute("aria-label") ?? el.textContent ?? el.getAttribute("name") ?? "").trim().slice(0, 40);
        small.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    return small;
  });
}

async function audit(page: Page, what: string) {
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const violations = axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(violations, `axe on ${what}`).toEqual([]);
  expect(await smallTargets(page), `tap targets under 44×44 on ${what}`).toEqual([]);
}

async function visit(page: Page, path: string, what: string) {
  await page.goto(path);
  await waitForHydration(page);
  await audit(page, what);
}

test("@tablet a case manager's pages pass axe and the tap-target audit", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, "casemanager");
  await audit(page, "home");
  await visit(page, "/clients?q=a", "client search");
  const found = await call(page, "search_clients", { q: "a" });
  const someone = found.hits[0].personal_id as string;
  await visit(page, `/clients/${someone}`, "client dashboard");
  const menu = page.getByTestId("enrollment").first().locator("details.action-menu");
  if ((await menu.count()) > 0) {
    await menu.locator("summary").click();
    await audit(page, "client dashboard with its menu open");
  }
  await visit(page, "/intake", "intake");
  await visit(page, "/annual-assessments", "Annual Assessment Tool");
  const last = surname(testInfo.project.name, "au");
  const { draft, ids } = await draftIntake(page, last, [["Una", "1"]], "Riverside Family Shelter", daysAgo(0));
  await visit(page, `/workflows/${draft}/client-${ids[0]}`, "basic client information");
  await visit(page, `/workflows/${draft}/entry-${ids[0]}`, "entry assessment");
  await page.getByTestId("step-list").locator("summary").click();
  await audit(page, "entry assessment with the step list open");
});

test("@tablet a supervisor's, a priority list manager's and an admin's pages pass axe and the tap-target audit", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "supervisor");
  await visit(page, "/caseloads", "caseloads");
  await visit(page, "/reports", "reports");
  await visit(page, "/reports/milestones", "milestones");
  await visit(page, "/reports/approaching-auto-exit", "approaching auto-exit");
  await visit(page, "/reports/data-quality", "data quality");
  await page.context().clearCookies();
  await signIn(page, "plm");
  await visit(page, "/coordinated-entry", "CE priority list");
  await page.context().clearCookies();
  await signIn(page, "admin");
  await audit(page, "admin home");
  await visit(page, "/admin", "administration");
  await visit(page, "/admin/users", "users");
  await visit(page, "/admin/projects", "projects");
  await visit(page, "/admin/audit", "audit log");
  await visit(page, "/admin/exports", "HMIS CSV export");
});
