//! The matrix itself: every server function with who may call it and the arguments that
//! reach its checks, and the functions shared across organizations by design.

/// Who may call a server function.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Who {
    /// Anyone: signing in and out, reading whether one is signed in.
    Anyone,
    /// Any signed-in user, even one whose temporary password is still to be changed.
    SignedInEvenTemporary,
    /// Any signed-in user, whatever their workgroup (record checks happen inside).
    SignedIn,
    /// Only these workgroups (HMIS admins act everywhere).
    Only(&'static [Wg]),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Wg {
    CaseManager,
    Supervisor,
    AgencyAdmin,
    PriorityListManager,
    CeAssessor,
}

pub(crate) use Wg::*;

/// The demo user acting in each workgroup (Riverside, or the CE hub for CE roles).
pub(crate) const REFUSABLE: [(Wg, &str); 5] = [
    (CaseManager, "casemanager"),
    (Supervisor, "supervisor"),
    (AgencyAdmin, "agencyadmin"),
    (PriorityListManager, "plm"),
    (CeAssessor, "assessor"),
];

pub(crate) const OVERSEERS: &[Wg] = &[Supervisor, AgencyAdmin];
pub(crate) const ADMINS: &[Wg] = &[AgencyAdmin];
pub(crate) const HMIS_ADMIN: &[Wg] = &[];
pub(crate) const CE: &[Wg] = &[CeAssessor, PriorityListManager];

/// One server function: endpoint, who may call it, arguments that reach its checks.
/// `{client}`, `{enrollment}`, `{project}`, `{organization}`, `{user}`, `{draft}` are
/// Riverside's records, made by `setup`.
pub(crate) struct Entry {
    pub(crate) endpoint: &'static str,
    pub(crate) who: Who,
    pub(crate) args: &'static [(&'static str, &'static str)],
}

const fn e(endpoint: &'static str, who: Who, args: &'static [(&'static str, &'static str)]) -> Entry {
    Entry { endpoint, who, args }
}

pub(crate) const MATRIX: &[Entry] = &[
    // Signing in and the session.
    e("session", Who::Anyone, &[]),
    e(
        "login",
        Who::Anyone,
        &[("username", "nobody"), ("password", "Wrong-pass-1")],
    ),
    e("logout", Who::Anyone, &[]),
    e("login_code", Who::Anyone, &[("code", "123456")]),
    e("login_pending", Who::Anyone, &[]),
    e("keep_alive", Who::SignedInEvenTemporary, &[]),
    e(
        "change_password",
        Who::SignedInEvenTemporary,
        &[
            ("current_password", "Wrong-pass-1"),
            ("new_password", "Riverbend-77"),
            ("confirm_password", "Riverbend-77"),
        ],
    ),
    e("start_two_step", Who::SignedIn, &[]),
    e("confirm_two_step", Who::SignedIn, &[("code", "123456")]),
    e(
        "turn_off_two_step",
        Who::SignedIn,
        &[("password", "Wrong-pass-1")],
    ),
    e("access_options", Who::SignedIn, &[]),
    e("list_locations", Who::SignedIn, &[]),
    e("set_location", Who::SignedIn, &[("project_id", "{project}")]),
    e("set_context", Who::SignedIn, &[("user_access_id", "x")]),
    e("set_back_date", Who::SignedIn, &[("back_date", "2026-01-01")]),
    e("clear_back_date", Who::SignedIn, &[]),
    e("system_status", Who::SignedIn, &[]),
    // Users and the audit log.
    e("list_users", Who::Only(ADMINS), &[("search", "")]),
    e("user_form_options", Who::Only(ADMINS), &[]),
    e(
        "create_user",
        Who::Only(ADMINS),
        &[
            ("username", "newperson"),
            ("first_name", "New"),
            ("last_name", "Person"),
            ("organization_id", "{organization}"),
            ("workgroup", "case_manager"),
            ("temporary_password", "Temporary-42x"),
        ],
    ),
    e(
        "reset_password",
        Who::Only(ADMINS),
        &[("user_id", "{user}"), ("temporary_password", "Temporary-42x")],
    ),
    e(
        "set_user_active",
        Who::Only(ADMINS),
        &[("user_id", "{user}"), ("active", "true")],
    ),
    e("get_user", Who::Only(ADMINS), &[("user_id", "{user}")]),
    e(
        "add_user_access",
        Who::Only(ADMINS),
        &[
            ("user_id", "{user}"),
            ("organization_id", "{organization}"),
            ("workgroup", "supervisor"),
        ],
    ),
    e(
        "remove_user_access",
        Who::Only(ADMINS),
        &[("user_access_id", "x")],
    ),
    e("reset_user_two_step", Who::Only(ADMINS), &[("user_id", "{user}")]),
    e("end_user_sessions", Who::Only(ADMINS), &[("user_id", "{user}")]),
    e(
        "search_audit_log",
        Who::Only(HMIS_ADMIN),
        &[("filter[username]", "casemanager")],
    ),
    // Organizations and projects.
    e("list_organizations", Who::Only(ADMINS), &[]),
    e(
        "save_organization",
        Who::Only(ADMINS),
        &[
            ("organization_id", "{organization}"),
            ("organization_name", "Riverside Family Shelter"),
        ],
    ),
    e("list_projects", Who::Only(ADMINS), &[]),
    e("get_project", Who::Only(ADMINS), &[("project_id", "{project}")]),
    e(
        "save_project",
        Who::Only(ADMINS),
        &[
            ("project_id", "{project}"),
            ("organization_id", "{organization}"),
            ("project_name", "Riverside Rapid Re-Housing"),
        ],
    ),
    e(
        "add_funder",
        Who::Only(ADMINS),
        &[
            ("project_id", "{project}"),
            ("funder", "2"),
            ("grant_id", "G-1"),
            ("funder_start_date", "2026-01-01"),
        ],
    ),
    e("remove_funder", Who::Only(ADMINS), &[("funder_id", "x")]),
    e(
        "add_project_coc",
        Who::Only(ADMINS),
        &[
            ("project_id", "{project}"),
            ("coc_code", "XX-500"),
            ("geocode", "123456"),
        ],
    ),
    e(
        "remove_project_coc",
        Who::Only(ADMINS),
        &[("project_coc_id", "x")],
    ),
    // Clients, case work.
    e("search_clients", Who::SignedIn, &[("q", "Sweep")]),
    e(
        "find_matches",
        Who::SignedIn,
        &[("first", "Test"), ("last", "Sweep")],
    ),
    e(
        "get_client_dashboard",
        Who::SignedIn,
        &[("personal_id", "{client}")],
    ),
    e(
        "get_client_profile",
        Who::SignedIn,
        &[("personal_id", "{client}")],
    ),
    e(
        "save_profile_record",
        Who::SignedIn,
        &[
            ("personal_id", "{client}"),
            ("kind", "contact"),
            ("answers[phone]", "5555550100"),
        ],
    ),
    e(
        "get_enrollment_services",
        Who::SignedIn,
        &[("enrollment_id", "{enrollment}")],
    ),
    e(
        "add_service",
        Who::SignedIn,
        &[
            ("enrollment_id", "{enrollment}"),
            ("date_provided", "2026-01-01"),
            ("service", "200"),
        ],
    ),
    e(
        "add_contact",
        Who::SignedIn,
        &[
            ("enrollment_id", "{enrollment}"),
            ("information_date", "2026-01-01"),
            ("current_living_situation", "116"),
        ],
    ),
    e("my_case_assignments", Who::SignedIn, &[]),
    e(
        "reassign_case",
        Who::Only(OVERSEERS),
        &[("personal_id", "{client}"), ("user_id", "{user}")],
    ),
    e("caseload_dashboard", Who::Only(OVERSEERS), &[]),
    e("caseload_of", Who::Only(OVERSEERS), &[("user_id", "{user}")]),
    // Workflows.
    e(
        "start_intake",
        Who::SignedIn,
        &[("first_name", "Fuzz"), ("last_name", "Person")],
    ),
    e("get_workflow", Who::SignedIn, &[("draft_id", "{draft}")]),
    e(
        "save_workflow_step",
        Who::SignedIn,
        &[("draft_id", "{draft}"), ("step", "household")],
    ),
    e("finish_workflow", Who::SignedIn, &[("draft_id", "{draft}")]),
    e("discard_workflow", Who::SignedIn, &[("draft_id", "{draft}")]),
    e(
        "start_workflow",
        Who::SignedIn,
        &[("enrollment_id", "{enrollment}"), ("kind", "assessment")],
    ),
    e(
        "add_household_member",
        Who::SignedIn,
        &[
            ("draft_id", "{draft}"),
            ("first_name", "Fuzz"),
            ("last_name", "Member"),
        ],
    ),
    e(
        "remove_household_member",
        Who::SignedIn,
        &[("draft_id", "{draft}"), ("personal_id", "{client}")],
    ),
    e("my_drafts", Who::SignedIn, &[]),
    e(
        "get_re_enter",
        Who::SignedIn,
        &[("enrollment_id", "{enrollment}")],
    ),
    e(
        "re_enter_enrollment",
        Who::SignedIn,
        &[("enrollment_id", "{enrollment}")],
    ),
    // Reports and tools.
    e("annual_due", Who::SignedIn, &[]),
    e("annual_due_counts", Who::SignedIn, &[]),
    e("milestone_report", Who::SignedIn, &[]),
    e("approaching_auto_exit", Who::SignedIn, &[]),
    e("approaching_auto_exit_counts", Who::SignedIn, &[]),
    e(
        "data_quality_report",
        Who::Only(OVERSEERS),
        &[("filter[from]", "2026-01-01")],
    ),
    e(
        "data_quality_records",
        Who::Only(OVERSEERS),
        &[("check", "missing_name")],
    ),
    // Coordinated Entry.
    e("ce_exit_setting", Who::Only(HMIS_ADMIN), &[]),
    e(
        "save_ce_exit_setting",
        Who::Only(HMIS_ADMIN),
        &[("workgroups[priority_list_manager]", "yes")],
    ),
    e("ce_questions", Who::Only(HMIS_ADMIN), &[]),
    e(
        "save_ce_question",
        Who::Only(HMIS_ADMIN),
        &[("question", "Fuzz?"), ("choices", "Yes = 1\nNo = 0")],
    ),
    e(
        "ce_assessment",
        Who::SignedIn,
        &[("enrollment_id", "{ce_enrollment}")],
    ),
    e(
        "record_ce_assessment",
        Who::Only(CE),
        &[("enrollment_id", "{ce_enrollment}")],
    ),
    e("priority_list", Who::Only(CE), &[]),
    e(
        "ce_events",
        Who::SignedIn,
        &[("enrollment_id", "{ce_enrollment}")],
    ),
    e(
        "record_ce_event",
        Who::Only(CE),
        &[("enrollment_id", "{ce_enrollment}")],
    ),
    e(
        "record_referral_result",
        Who::SignedIn,
        &[("event_id", "x"), ("result", "1"), ("result_date", "2026-01-01")],
    ),
    e("incoming_referrals", Who::SignedIn, &[]),
    // HMIS admin jobs.
    e("auto_exit_overview", Who::Only(HMIS_ADMIN), &[]),
    e("start_auto_exit", Who::Only(HMIS_ADMIN), &[("dry_run", "yes")]),
    e("auto_exit_dry_run", Who::Only(HMIS_ADMIN), &[("job_run_id", "x")]),
    e(
        "admin_exit_candidates",
        Who::Only(HMIS_ADMIN),
        &[("filter[project_id]", "{project}")],
    ),
    e(
        "preview_admin_exit",
        Who::Only(HMIS_ADMIN),
        &[("filter[project_id]", "{project}"), ("exit_date", "2026-01-01")],
    ),
    e("admin_exit_plan", Who::Only(HMIS_ADMIN), &[("plan_id", "x")]),
    e("run_admin_exit", Who::Only(HMIS_ADMIN), &[("plan_id", "x")]),
    e("admin_exits_done", Who::Only(ADMINS), &[]),
    e("list_exports", Who::Only(HMIS_ADMIN), &[]),
    e(
        "start_export",
        Who::Only(HMIS_ADMIN),
        &[("from", "2026-01-01"), ("to", "2026-02-01")],
    ),
    e("list_imports", Who::Only(HMIS_ADMIN), &[]),
    e(
        "import_report",
        Who::Only(HMIS_ADMIN),
        &[
            ("job_run_id", "x"),
            ("file", "Client.csv"),
            ("kind", "not_a_date"),
        ],
    ),
    e("run_job_again", Who::Only(HMIS_ADMIN), &[("job_run_id", "x")]),
];

/// Functions that answer another organization's user on Riverside's records by design
/// (DESIGN.md, Access: client demographics, the client profile and notes are shared
/// across the CoC; enrollments and services are read-only outside their organization).
pub(crate) const SHARED_ACROSS_ORGANIZATIONS: &[(&str, &str)] = &[
    (
        "get_client_dashboard",
        "client demographics are shared; other organizations' enrollments show read-only",
    ),
    (
        "get_client_profile",
        "the client profile is shared across the CoC",
    ),
    (
        "save_profile_record",
        "each organization adds its own profile records to a shared client",
    ),
    (
        "get_enrollment_services",
        "services show read-only outside their organization",
    ),
    (
        "ce_assessment",
        "a CE enrollment's assessments show read-only outside CE work, like every enrollment",
    ),
    (
        "ce_events",
        "a CE enrollment's events show read-only outside CE work, like every enrollment",
    ),
];
