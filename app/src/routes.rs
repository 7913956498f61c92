//! The one route table and its path constants.

use leptos::prelude::*;
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{ParentRoute, Route, Router, Routes},
};

use crate::features::access::{
    ChangePasswordPage, LoginCodePage, LoginPage, RequireSession, SettingsPage, TwoStepPage,
};
use crate::features::admin::{AdminPage, AuditLogPage, UserDetailPage, UsersPage};
use crate::features::auto_exit::AutoExitPage;
use crate::features::client_search::ClientsPage;
use crate::features::clients::ClientDashboardPage;
use crate::features::exits::ReEnterPage;
use crate::features::hmis_export::ExportsPage;
use crate::features::hmis_import::{ImportReportPage, ImportsPage};
use crate::features::home::HomePage;
use crate::features::organizations::OrganizationsPage;
use crate::features::profile::ClientProfilePage;
use crate::features::projects::{ProjectPage, ProjectsPage};
use crate::features::services::EnrollmentServicesPage;
use crate::features::workflows::{IntakeStartPage, WorkflowPage};
use crate::session::provide_session;
use crate::shell::AppLayout;
use crate::ui::layout::NotFoundPage;

pub const HOME: &str = "/";
pub const CLIENTS: &str = "/clients";
/// The dedup search that starts an intake.
pub const INTAKE: &str = "/intake";
pub const ANNUAL_ASSESSMENTS: &str = "/annual-assessments";
pub const ANNUAL_ASSESSMENTS_CSV: &str = "/annual-assessments.csv";
pub const COORDINATED_ENTRY: &str = "/coordinated-entry";
/// Served by the server crate (a download, not a page).
pub const PRIORITY_LIST_CSV: &str = "/coordinated-entry/priority-list.csv";
pub const INCOMING_REFERRALS: &str = "/coordinated-entry/referrals";
pub const ADMIN_CE_QUESTIONS: &str = "/admin/ce-questions";
pub const REPORTS: &str = "/reports";
/// The supervisor's caseload dashboard; `/caseloads/:user_id` for one case manager.
pub const CASELOADS: &str = "/caseloads";
pub const MILESTONES: &str = "/reports/milestones";
pub const MILESTONES_CSV: &str = "/reports/milestones.csv";
pub const APPROACHING_AUTO_EXIT: &str = "/reports/approaching-auto-exit";
pub const APPROACHING_AUTO_EXIT_CSV: &str = "/reports/approaching-auto-exit.csv";
pub const ADMIN_EXITS_DONE: &str = "/reports/admin-exits";
pub const DATA_QUALITY: &str = "/reports/data-quality";
pub const DATA_QUALITY_RECORDS: &str = "/reports/data-quality/records";
/// Served by the server crate (a download, not a page).
pub const DATA_QUALITY_CSV: &str = "/reports/data-quality.csv";
pub const ADMIN: &str = "/admin";
pub const ADMIN_USERS: &str = "/admin/users";
pub const ADMIN_AUDIT: &str = "/admin/audit";
pub const ADMIN_ORGANIZATIONS: &str = "/admin/organizations";
pub const ADMIN_PROJECTS: &str = "/admin/projects";
pub const ADMIN_EXPORTS: &str = "/admin/exports";
pub const ADMIN_AUTO_EXIT: &str = "/admin/auto-exit";

/// The households an auto-exit dry run would exit or skip.
pub fn auto_exit_dry_run(job_run_id: &str) -> String {
    format!("{ADMIN_AUTO_EXIT}/runs/{job_run_id}")
}
/// Administrative exits: candidates, and `/admin/admin-exits/:plan_id` for a preview.
pub const ADMIN_EXITS: &str = "/admin/admin-exits";
/// The imports page (GET) and the upload (POST, served by the server crate).
pub const ADMIN_IMPORTS: &str = "/admin/imports";
/// An import's report: `/admin/imports/:job_run_id`.
pub fn import_report(job_run_id: &str) -> String {
    format!("{ADMIN_IMPORTS}/{job_run_id}")
}
/// An import report's findings as CSV, as the route table spells it (served by the
/// server crate: a download, not a page).
pub const ADMIN_IMPORT_REPORT_CSV: &str = "/admin/imports/{job_run_id}/report.csv";
/// An import report's findings as CSV: `/admin/imports/:job_run_id/report.csv`.
pub fn import_report_csv(job_run_id: &str) -> String {
    ADMIN_IMPORT_REPORT_CSV.replace("{job_run_id}", job_run_id)
}
/// Served by the server crate (a download, not a page).
pub const ADMIN_AUDIT_CSV: &str = "/admin/audit.csv";
pub const LOGIN: &str = "/login";
/// The second step of signing in, for users with two-step sign-in on.
pub const LOGIN_CODE: &str = "/login/code";
pub const SETTINGS: &str = "/settings";
pub const CHANGE_PASSWORD: &str = "/settings/password";
pub const TWO_STEP: &str = "/settings/two-step";

/// A client's dashboard.
pub fn client(personal_id: &str) -> String {
    format!("{CLIENTS}/{personal_id}")
}

/// One project's administration page.
pub fn admin_project(project_id: &str) -> String {
    format!("{ADMIN_PROJECTS}/{project_id}")
}

/// The areas shown in the main navigation, in order.
pub const NAV_AREAS: [(&str, &str); 5] = [
    (CLIENTS, "Clients"),
    (ANNUAL_ASSESSMENTS, "Annual Assessments"),
    (COORDINATED_ENTRY, "Coordinated Entry"),
    (REPORTS, "Reports"),
    (ADMIN, "Admin"),
];

/// Every page renders with `SsrMode::Async`: the server waits for the page's data and
/// sends complete HTML, so pages work with JavaScript off and can set their status
/// (404, 403) from what the data says.
#[component]
pub fn App() -> impl IntoView {
    crate::provide_shell_context();
    provide_session();
    view! {
        <crate::DefaultTitle />
        <Router>
            <AppLayout>
                <Routes fallback=NotFoundPage>
                    <Route ssr=SsrMode::Async path=StaticSegment("login") view=LoginPage />
                    <Route
                        ssr=SsrMode::Async
                        path=(StaticSegment("login"), StaticSegment("code"))
                        view=LoginCodePage
                    />
                    <ParentRoute ssr=SsrMode::Async path=StaticSegment("") view=RequireSession>
                        <Route ssr=SsrMode::Async path=StaticSegment("") view=HomePage />
                        <Route ssr=SsrMode::Async path=StaticSegment("settings") view=SettingsPage />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("settings"), StaticSegment("password"))
                            view=ChangePasswordPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("settings"), StaticSegment("two-step"))
                            view=TwoStepPage
                        />
                        <Route ssr=SsrMode::Async path=StaticSegment("clients") view=ClientsPage />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("clients"), ParamSegment("personal_id"))
                            view=ClientDashboardPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("clients"), ParamSegment("personal_id"), StaticSegment("profile"))
                            view=ClientProfilePage
                        />
                        <Route ssr=SsrMode::Async path=StaticSegment("intake") view=IntakeStartPage />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("enrollments"), ParamSegment("enrollment_id"), StaticSegment("re-enter"))
                            view=ReEnterPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("enrollments"), ParamSegment("enrollment_id"), StaticSegment("services"))
                            view=EnrollmentServicesPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("workflows"), ParamSegment("draft_id"))
                            view=WorkflowPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("workflows"), ParamSegment("draft_id"), ParamSegment("step"))
                            view=WorkflowPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=StaticSegment("annual-assessments")
                            view=crate::features::annual::AnnualAssessmentsPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=StaticSegment("coordinated-entry")
                            view=crate::features::coordinated_entry::PriorityListPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("coordinated-entry"), StaticSegment("referrals"))
                            view=crate::features::coordinated_entry::IncomingReferralsPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("enrollments"), ParamSegment("enrollment_id"), StaticSegment("ce-assessment"))
                            view=crate::features::coordinated_entry::CeAssessmentPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("enrollments"), ParamSegment("enrollment_id"), StaticSegment("ce-events"))
                            view=crate::features::coordinated_entry::CeEventsPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("ce-questions"))
                            view=crate::features::coordinated_entry::CeQuestionsPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=StaticSegment("reports")
                            view=crate::features::reports::ReportsPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("reports"), StaticSegment("milestones"))
                            view=crate::features::reports::MilestonesPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("reports"), StaticSegment("approaching-auto-exit"))
                            view=crate::features::auto_exit::ApproachingAutoExitPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("reports"), StaticSegment("admin-exits"))
                            view=crate::features::admin_exits::AdminExitsDonePage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("reports"), StaticSegment("data-quality"))
                            view=crate::features::data_quality::DataQualityPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("reports"), StaticSegment("data-quality"), StaticSegment("records"))
                            view=crate::features::data_quality::DataQualityRecordsPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=StaticSegment("caseloads")
                            view=crate::features::caseload::CaseloadsPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("caseloads"), ParamSegment("user_id"))
                            view=crate::features::caseload::CaseloadDetailPage
                        />
                        <Route ssr=SsrMode::Async path=StaticSegment("admin") view=AdminPage />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("users"))
                            view=UsersPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("users"), ParamSegment("user_id"))
                            view=UserDetailPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("audit"))
                            view=AuditLogPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("organizations"))
                            view=OrganizationsPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("projects"))
                            view=ProjectsPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("projects"), ParamSegment("project_id"))
                            view=ProjectPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("exports"))
                            view=ExportsPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("auto-exit"))
                            view=AutoExitPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(
                                StaticSegment("admin"),
                                StaticSegment("auto-exit"),
                                StaticSegment("runs"),
                                ParamSegment("job_run_id"),
                            )
                            view=crate::features::auto_exit::AutoExitDryRunPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("admin-exits"))
                            view=crate::features::admin_exits::AdminExitsPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("admin-exits"), ParamSegment("plan_id"))
                            view=crate::features::admin_exits::AdminExitPlanPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("imports"))
                            view=ImportsPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("imports"), ParamSegment("job_run_id"))
                            view=ImportReportPage
                        />
                    </ParentRoute>
                </Routes>
            </AppLayout>
        </Router>
    }
}
