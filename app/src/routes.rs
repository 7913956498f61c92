//! The one route table and its path constants.

use leptos::prelude::*;
use leptos_router::{
    SsrMode, StaticSegment,
    components::{ParentRoute, Route, Router, Routes},
};

use crate::features::access::{ChangePasswordPage, LoginPage, RequireSession, SettingsPage, provide_session};
use crate::features::admin::{AdminPage, AuditLogPage, UsersPage};
use crate::features::home::HomePage;
use crate::ui::layout::{AppLayout, ComingSoonPage, NotFoundPage};

pub const HOME: &str = "/";
pub const CLIENTS: &str = "/clients";
pub const ANNUAL_ASSESSMENTS: &str = "/annual-assessments";
pub const COORDINATED_ENTRY: &str = "/coordinated-entry";
pub const REPORTS: &str = "/reports";
pub const ADMIN: &str = "/admin";
pub const ADMIN_USERS: &str = "/admin/users";
pub const ADMIN_AUDIT: &str = "/admin/audit";
/// Served by the server crate (a download, not a page).
pub const ADMIN_AUDIT_CSV: &str = "/admin/audit.csv";
pub const LOGIN: &str = "/login";
pub const SETTINGS: &str = "/settings";
pub const CHANGE_PASSWORD: &str = "/settings/password";

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
                            path=StaticSegment("clients")
                            view=|| view! { <ComingSoonPage area="Clients" /> }
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=StaticSegment("annual-assessments")
                            view=|| view! { <ComingSoonPage area="Annual Assessments" /> }
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=StaticSegment("coordinated-entry")
                            view=|| view! { <ComingSoonPage area="Coordinated Entry" /> }
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=StaticSegment("reports")
                            view=|| view! { <ComingSoonPage area="Reports" /> }
                        />
                        <Route ssr=SsrMode::Async path=StaticSegment("admin") view=AdminPage />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("users"))
                            view=UsersPage
                        />
                        <Route
                            ssr=SsrMode::Async
                            path=(StaticSegment("admin"), StaticSegment("audit"))
                            view=AuditLogPage
                        />
                    </ParentRoute>
                </Routes>
            </AppLayout>
        </Router>
    }
}
