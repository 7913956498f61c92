//! Who may see which client and enrollment, in one place. Client demographics are shared
//! across the CoC, but an enrollment with a victim service provider (VSP) is seen only by
//! that organization, and a client known only to VSPs (every enrollment of theirs with
//! one) is invisible outside them. Features filter with the typed clauses here rather
//! than spelling the rule, and its positional values, again; a single record is checked
//! with `require_visible` or loaded with `enrollment_access`; who may exit a Coordinated
//! Entry enrollment is the CoC's setting (`check_ce_exit`).

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr, QueryResult, Value};

use super::statement;
use crate::domain::access::Workgroup;
use crate::domain::codes::ProjectType;
use crate::error::AppError;
use crate::session::CurrentSession;
use crate::ui::format::full_name;

/// A condition of a WHERE clause and the values of its `?`, in order: the one way the
/// visibility rules reach SQL, so no caller has to know how many values they take.
#[derive(Clone, Debug)]
pub struct Clause {
    sql: String,
    values: Vec<Value>,
}

impl Clause {
    /// Appends ` AND <condition>` to `sql` and the condition's values to `values`.
    pub fn and_to(self, sql: &mut String, values: &mut Vec<Value>) {
        sql.push_str(" AND ");
        sql.push_str(&self.sql);
        values.extend(self.values);
    }
}

/// The enrollments (and records) of organization `org` (a table alias) are open to
/// someone acting in `viewer`: it is not a VSP, or it is the viewer's own.
pub fn organization_open(org: &str, viewer: &str) -> Clause {
    Clause {
        sql: format!("({org}.victim_service_provider = ? OR {org}.organization_id = ?)"),
        values: vec![false.into(), viewer.into()],
    }
}

/// The client `client` (a table alias) may be seen by someone acting in `viewer`: not
/// every enrollment of theirs is with VSPs other than the viewer.
pub fn client_visible(client: &str, viewer: &str) -> Clause {
    Clause {
        sql: format!(
            "(NOT EXISTS (SELECT 1 FROM enrollments ve \
             JOIN projects vp ON vp.project_id = ve.project_id \
             JOIN organizations vo ON vo.organization_id = vp.organization_id \
             WHERE ve.personal_id = {client}.personal_id AND ve.date_deleted IS NULL \
             AND vo.victim_service_provider = ? AND vo.organization_id <> ?) \
             OR EXISTS (SELECT 1 FROM enrollments we \
             JOIN projects wp ON wp.project_id = we.project_id \
             JOIN organizations wo ON wo.organization_id = wp.organization_id \
             WHERE we.personal_id = {client}.personal_id AND we.date_deleted IS NULL \
             AND wo.victim_service_provider = ?))"
        ),
        values: vec![true.into(), viewer.into(), false.into()],
    }
}

/// A client's name from a row holding `first_name`, `middle_name`, `last_name` and
/// `name_suffix`.
pub fn client_name(row: &QueryResult) -> Result<String, DbErr> {
    Ok(full_name([
        row.try_get("", "first_name")?,
        row.try_get("", "middle_name")?,
        row.try_get("", "last_name")?,
        row.try_get("", "name_suffix")?,
    ]))
}

/// Refuses (as "not found") a client the user may not see.
pub async fn require_visible(
    db: &impl ConnectionTrait,
    session: &CurrentSession,
    personal_id: &str,
) -> Result<(), AppError> {
    let context = session.require_context()?;
    let mut sql = String::from(
        "SELECT c.personal_id FROM clients c WHERE c.personal_id = ? AND c.date_deleted IS NULL",
    );
    let mut values: Vec<Value> = vec![personal_id.into()];
    client_visible("c", &context.organization_id).and_to(&mut sql, &mut values);
    match db
        .query_one_raw(statement(db.get_database_backend(), &sql, values))
        .await?
    {
        Some(_) => Ok(()),
        None => Err(AppError::NotFound),
    }
}

/// An enrollment the user may see, with what pages about it show.
#[derive(Clone, Debug)]
pub struct EnrollmentAccess {
    pub enrollment_id: String,
    pub personal_id: String,
    pub client_name: String,
    pub project_id: String,
    pub project_name: String,
    pub project_type: Option<i32>,
    pub organization_name: String,
    pub entry_date: NaiveDate,
    pub exit_date: Option<NaiveDate>,
    /// The user acts in the owning organization (or is an HMIS admin).
    pub editable: bool,
}

/// Loads an enrollment the user may see: never another organization's victim service
/// provider enrollment (that is "not found").
pub async fn enrollment_access(
    db: &impl ConnectionTrait,
    session: &CurrentSession,
    enrollment_id: &str,
) -> Result<EnrollmentAccess, AppError> {
    let context = session.require_context()?;
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "SELECT e.enrollment_id, e.personal_id, e.project_id, e.entry_date, p.project_name, p.project_type, \
             o.organization_id, o.organization_name, o.victim_service_provider, x.exit_date, \
             c.first_name, c.middle_name, c.last_name, c.name_suffix \
             FROM enrollments e JOIN projects p ON p.project_id = e.project_id \
             JOIN organizations o ON o.organization_id = p.organization_id \
             JOIN clients c ON c.personal_id = e.personal_id \
             LEFT JOIN exits x ON x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL \
             WHERE e.enrollment_id = ? AND e.date_deleted IS NULL",
            vec![enrollment_id.into()],
        ))
        .await?
        .ok_or(AppError::NotFound)?;
    let organization_id: String = row.try_get("", "organization_id")?;
    let vsp: bool = row.try_get("", "victim_service_provider")?;
    let own = organization_id == context.organization_id;
    if vsp && !own {
        return Err(AppError::NotFound);
    }
    Ok(EnrollmentAccess {
        enrollment_id: row.try_get("", "enrollment_id")?,
        personal_id: row.try_get("", "personal_id")?,
        client_name: client_name(&row)?,
        project_id: row.try_get("", "project_id")?,
        project_name: row.try_get("", "project_name")?,
        project_type: row.try_get("", "project_type")?,
        organization_name: row.try_get("", "organization_name")?,
        entry_date: row.try_get("", "entry_date")?,
        exit_date: row.try_get("", "exit_date")?,
        editable: own || context.workgroup == Workgroup::HmisAdmin,
    })
}

/// Refuses the exit of a Coordinated Entry enrollment to anyone outside the workgroups
/// the CoC lets exit them (its setting; by default priority list managers — acting in
/// the CE organization, which owns the enrollment — and HMIS admins). The menu says who
/// may.
pub async fn check_ce_exit(
    db: &impl ConnectionTrait,
    session: &CurrentSession,
    access: &EnrollmentAccess,
) -> Result<(), AppError> {
    let context = session.require_context()?;
    if access.project_type != Some(ProjectType::CoordinatedEntry.code()) {
        return Ok(());
    }
    let exiters = super::settings::ce_exiters(db).await?;
    if !crate::domain::enrollment::may_exit_ce(context.workgroup, &exiters) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}
