//! The one route table and its path constants.

use leptos::prelude::*;
use leptos_router::{
    Lazy, LazyRoute, ParamSegment, SsrMode, StaticSegment,
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

/// The browser bundle is split (`cargo leptos build --split`): the frame (header,
/// navigation, session, router) loads with every page, and each area's pages load
/// together, as one split function per area (`area { Route => Page, … }`), when a page
/// of the area is drawn. Areas rather than pages: code shared by several split points
/// goes into chunks of its own, one per set of points sharing it, and per page that was
/// ~200 small modules to fetch and instantiate. Each `Route` is the route type the
/// table below names, and a variant of its area's `Page`.
///
/// The split is `wasm_split`'s own `fallible` form rather than `#[leptos::lazy]`, which
/// panics (stopping the whole app) when a module cannot be downloaded — on a tablet's
/// cellular link that happens. Here the page says so and offers to try again
/// ([`PageCodeUnavailable`]). On the server the area is only named, so the page lists its
/// modules for the browser to preload (`leptos::prefetch_lazy_fn_on_server`, with the
/// module's name as in the build's `__wasm_split_manifest.json`).
macro_rules! lazy_areas {
    ($($area:ident { $($route:ident => $page:path),* $(,)? })*) => {$(
        mod $area {
            use super::*;

            /// The area's pages, by their route types' names.
            #[derive(Clone, Copy, Debug)]
            #[repr(u8)]
            #[allow(clippy::enum_variant_names)]
            pub enum Page {
                $($route,)*
            }

            fn draw(page: Page) -> AnyView {
                match page {
                    $(Page::$route => untrack($page).into_any(),)*
                }
            }

            /// The area's pages, loaded together.
            #[cfg(feature = "hydrate")]
            #[::leptos::wasm_split::wasm_split(
                $area,
                wasm_split_path = ::leptos::wasm_split,
                preload(#[allow(non_snake_case)] preload),
                fallible
            )]
            pub fn load(page: Page) -> Result<AnyView, CodeUnavailable> {
                Ok(draw(page))
            }

            #[cfg(not(feature = "hydrate"))]
            pub async fn load(page: Page) -> Result<AnyView, CodeUnavailable> {
                ::leptos::prefetch_lazy_fn_on_server(stringify!($area));
                Ok(draw(page))
            }
        }

        $(
            #[derive(Debug)]
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $area::load($area::Page::$route)
                        .await
                        .unwrap_or_else(|_| PageCodeUnavailable().into_any())
                }

                // Loads the area's code before the route is drawn: hydration needs the
                // page's view at once (without it the page was drawn a second time). A
                // failed download shows in `view`, which tries once more.
                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    let _ = $area::preload().await;
                }
            }
        )*
    )*};
}

/// A page's code could not be downloaded (the connection dropped).
#[derive(Debug)]
pub struct CodeUnavailable;

#[cfg(feature = "hydrate")]
impl From<leptos::wasm_split::SplitLoaderError> for CodeUnavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        CodeUnavailable
    }
}

/// What a page shows when its code could not be downloaded: the address stays, and
/// "Try again" loads it whole.
#[component]
fn PageCodeUnavailable() -> impl IntoView {
    let here = leptos_router::hooks::use_location();
    let href = move || match (here.pathname.get(), here.search.get()) {
        (path, query) if query.is_empty() => path,
        (path, query) => format!("{path}?{query}"),
    };
    view! {
        <section class="page">
            <div class="notice notice--error" role="alert">
                <strong>"This page could not be loaded. "</strong>
                "The connection dropped while it was downloading."
            </div>
            <p>
                <a class="button" href=href rel="external">
                    "Try again"
                </a>
            </p>
        </section>
    }
}

lazy_areas! {
    sign_in_area {
        LoginRoute => LoginPage,
        LoginCodeRoute => LoginCodePage,
        SettingsRoute => SettingsPage,
        ChangePasswordRoute => ChangePasswordPage,
        TwoStepRoute => TwoStepPage,
    }
    home_area {
        HomeRoute => HomePage,
    }
    clients_area {
        ClientsRoute => ClientsPage,
        ClientDashboardRoute => ClientDashboardPage,
        ClientProfileRoute => ClientProfilePage,
        IntakeStartRoute => IntakeStartPage,
        ReEnterRoute => ReEnterPage,
        EnrollmentServicesRoute => EnrollmentServicesPage,
        CeAssessmentRoute => crate::features::coordinated_entry::CeAssessmentPage,
        CeEventsRoute => crate::features::coordinated_entry::CeEventsPage,
    }
    workflow_area {
        WorkflowRoute => WorkflowPage,
    }
    work_lists_area {
        AnnualAssessmentsRoute => crate::features::annual::AnnualAssessmentsPage,
        PriorityListRoute => crate::features::coordinated_entry::PriorityListPage,
        IncomingReferralsRoute => crate::features::coordinated_entry::IncomingReferralsPage,
        CaseloadsRoute => crate::features::caseload::CaseloadsPage,
        CaseloadDetailRoute => crate::features::caseload::CaseloadDetailPage,
    }
    reports_area {
        ReportsRoute => crate::features::reports::ReportsPage,
        MilestonesRoute => crate::features::reports::MilestonesPage,
        ApproachingAutoExitRoute => crate::features::auto_exit::ApproachingAutoExitPage,
        AdminExitsDoneRoute => crate::features::admin_exits::AdminExitsDonePage,
        DataQualityRoute => crate::features::data_quality::DataQualityPage,
        DataQualityRecordsRoute => crate::features::data_quality::DataQualityRecordsPage,
    }
    admin_area {
        AdminRoute => AdminPage,
        UsersRoute => UsersPage,
        UserDetailRoute => UserDetailPage,
        AuditLogRoute => AuditLogPage,
        OrganizationsRoute => OrganizationsPage,
        ProjectsRoute => ProjectsPage,
        ProjectRoute => ProjectPage,
        ExportsRoute => ExportsPage,
        AutoExitRoute => AutoExitPage,
        AutoExitDryRunRoute => crate::features::auto_exit::AutoExitDryRunPage,
        AdminExitsRoute => crate::features::admin_exits::AdminExitsPage,
        AdminExitPlanRoute => crate::features::admin_exits::AdminExitPlanPage,
        ImportsRoute => ImportsPage,
        ImportReportRoute => ImportReportPage,
        CeQuestionsRoute => crate::features::coordinated_entry::CeQuestionsPage,
    }
}

/// Every page renders with `SsrMode::Async`: the server waits for the page's data and
/// sends complete HTML, so pages work with JavaScript off and can set their status
/// (404, 403) from what the data says.
#[component]
pub fn App() -> impl IntoView {
    crate::provide_shell_context();
    provide_session();
    // True while the router moves to another page (its area's code and data loading).
    let (routing, set_routing) = signal(false);
    view! {
        <crate::DefaultTitle />
        <Router set_is_routing=set_routing>
            <AppLayout routing>
                <Routes fallback=NotFoundPage>
                    <Route ssr=SsrMode::Async path=StaticSegment("login") view={Lazy::<LoginRoute>::new()} />
                    <Route
                        ssr=SsrMode::Async
                        path=(StaticSegment("login"), StaticSegment("code"))
                        view={Lazy::<LoginCodeRoute>::new()}
                    />
                    <ParentRoute ssr=SsrMode::Async path=StaticSegment("") view=RequireSession>
                        <Route ssr=SsrMode::Async path=StaticSegment("") view={Lazy::<HomeRoute>::new()} />
                        <Route ssr=SsrMode::Async path=StaticSegment("settings") view={Lazy::<SettingsRoute>::new()} />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("settings"), StaticSegment("password"))
                            view={Lazy::<ChangePasswordRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("settings"), StaticSegment("two-step"))
                            view={Lazy::<TwoStepRoute>::new()}
                        />
                        <Route ssr=SsrMode::Async path=StaticSegment("clients") view={Lazy::<ClientsRoute>::new()} />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("clients"), ParamSegment("personal_id"))
                            view={Lazy::<ClientDashboardRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("clients"), ParamSegment("personal_id"), StaticSegment("profile"))
                            view={Lazy::<ClientProfileRoute>::new()}
                        />
                        <Route ssr=SsrMode::Async path=StaticSegment("intake") view={Lazy::<IntakeStartRoute>::new()} />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("enrollments"), ParamSegment("enrollment_id"), StaticSegment("re-enter"))
                            view={Lazy::<ReEnterRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("enrollments"), ParamSegment("enrollment_id"), StaticSegment("services"))
                            view={Lazy::<EnrollmentServicesRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("workflows"), ParamSegment("draft_id"))
                            view={Lazy::<WorkflowRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("workflows"), ParamSegment("draft_id"), ParamSegment("step"))
                            view={Lazy::<WorkflowRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=StaticSegment("annual-assessments")
                            view={Lazy::<AnnualAssessmentsRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=StaticSegment("coordinated-entry")
                            view={Lazy::<PriorityListRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("coordinated-entry"), StaticSegment("referrals"))
                            view={Lazy::<IncomingReferralsRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("enrollments"), ParamSegment("enrollment_id"), StaticSegment("ce-assessment"))
                            view={Lazy::<CeAssessmentRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("enrollments"), ParamSegment("enrollment_id"), StaticSegment("ce-events"))
                            view={Lazy::<CeEventsRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("ce-questions"))
                            view={Lazy::<CeQuestionsRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=StaticSegment("reports")
                            view={Lazy::<ReportsRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("reports"), StaticSegment("milestones"))
                            view={Lazy::<MilestonesRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("reports"), StaticSegment("approaching-auto-exit"))
                            view={Lazy::<ApproachingAutoExitRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("reports"), StaticSegment("admin-exits"))
                            view={Lazy::<AdminExitsDoneRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("reports"), StaticSegment("data-quality"))
                            view={Lazy::<DataQualityRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("reports"), StaticSegment("data-quality"), StaticSegment("records"))
                            view={Lazy::<DataQualityRecordsRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=StaticSegment("caseloads")
                            view={Lazy::<CaseloadsRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("caseloads"), ParamSegment("user_id"))
                            view={Lazy::<CaseloadDetailRoute>::new()}
                        />
                        <Route ssr=SsrMode::Async path=StaticSegment("admin") view={Lazy::<AdminRoute>::new()} />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("users"))
                            view={Lazy::<UsersRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("users"), ParamSegment("user_id"))
                            view={Lazy::<UserDetailRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("audit"))
                            view={Lazy::<AuditLogRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("organizations"))
                            view={Lazy::<OrganizationsRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("projects"))
                            view={Lazy::<ProjectsRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("projects"), ParamSegment("project_id"))
                            view={Lazy::<ProjectRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("exports"))
                            view={Lazy::<ExportsRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("auto-exit"))
                            view={Lazy::<AutoExitRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(
                                StaticSegment("admin"),
                                StaticSegment("auto-exit"),
                                StaticSegment("runs"),
                                ParamSegment("job_run_id"),
                            )
                            view={Lazy::<AutoExitDryRunRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("admin-exits"))
                            view={Lazy::<AdminExitsRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("admin-exits"), ParamSegment("plan_id"))
                            view={Lazy::<AdminExitPlanRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("imports"))
                            view={Lazy::<ImportsRoute>::new()}
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("imports"), ParamSegment("job_run_id"))
                            view={Lazy::<ImportReportRoute>::new()}
                        />
                    </ParentRoute>
                </Routes>
            </AppLayout>
        </Router>
    }
}
