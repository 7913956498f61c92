//! The client profile on the server: one generic path for the five kinds of record,
//! each a table with `personal_id`, `organization_id` and its own columns.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, QueryResult, Value};

use super::api::{ClientProfile, ColumnType, ProfileKind, ProfileRecord, ProfileSection};
use crate::db::audit::{self, Event};
use crate::db::visibility::{client_name, organization_open, require_visible};
use crate::db::{begin_write, new_id, statement};
use crate::error::{AppError, FieldError};
use crate::session::CurrentSession;
use crate::state::AppState;
use crate::ui::fields::{Answers, FieldKind, FieldSpec};

/// A column's value as text for the form, and as shown.
fn read(row: &QueryResult, kind: ColumnType, spec: &FieldSpec) -> Result<(String, String), AppError> {
    let name = spec.name.as_str();
    Ok(match kind {
        ColumnType::Text(_) => {
            let v: Option<String> = row.try_get("", name)?;
            let v = v.unwrap_or_default();
            let shown = match &spec.kind {
                FieldKind::Select(choices) => choices
                    .iter()
                    .find(|c| c.value == v)
                    .map(|c| c.label.clone())
                    .unwrap_or_else(|| v.clone()),
                _ => v.clone(),
            };
            (v, shown)
        }
        ColumnType::Date => {
            let v: Option<NaiveDate> = row.try_get("", name)?;
            (
                v.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
                v.map(|d| d.format("%-m/%-d/%Y").to_string()).unwrap_or_default(),
            )
        }
        ColumnType::Code => {
            let v: Option<i32> = row.try_get("", name)?;
            let shown = match (&spec.kind, v) {
                (FieldKind::Select(choices), Some(code)) => choices
                    .iter()
                    .find(|c| c.value == code.to_string())
                    .map(|c| c.label.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            };
            (v.map(|c| c.to_string()).unwrap_or_default(), shown)
        }
        ColumnType::Flag => {
            let v: Option<bool> = row.try_get("", name)?;
            match v {
                Some(true) => ("yes".into(), "Yes".into()),
                Some(false) => (String::new(), "No".into()),
                None => (String::new(), String::new()),
            }
        }
    })
}

pub async fn profile(
    state: &AppState,
    session: &CurrentSession,
    personal_id: &str,
) -> Result<ClientProfile, AppError> {
    let context = session.require_context()?;
    let db = &state.db;
    require_visible(db, session, personal_id).await?;
    let backend = db.get_database_backend();
    let client = db
        .query_one_raw(statement(
            backend,
            "SELECT first_name, middle_name, last_name, name_suffix FROM clients WHERE personal_id = ?",
            vec![personal_id.into()],
        ))
        .await?
        .ok_or(AppError::NotFound)?;
    let client_name = client_name(&client)?;
    let mut sections = Vec::new();
    for kind in ProfileKind::ALL {
        let (table, id_column) = kind.table();
        let mut sql = format!(
            "SELECT t.*, o.organization_name, u.first_name AS u_first, u.last_name AS u_last FROM {table} t \
             JOIN organizations o ON o.organization_id = t.organization_id \
             LEFT JOIN users u ON u.user_id = t.created_by \
             WHERE t.personal_id = ?"
        );
        let mut values: Vec<Value> = vec![personal_id.into()];
        // Shared records are open as their organization's enrollments are; the rest
        // only to their own organization.
        if kind.shared() {
            organization_open("o", &context.organization_id).and_to(&mut sql, &mut values);
        } else {
            sql.push_str(" AND t.organization_id = ?");
            values.push(context.organization_id.clone().into());
        }
        sql.push_str(" ORDER BY t.created_at DESC LIMIT 200");
        let columns = kind.columns();
        let mut records = Vec::new();
        for row in db.query_all_raw(statement(backend, &sql, values)).await? {
            let mut lines = Vec::new();
            let mut answers = Answers::new();
            for (column, spec) in &columns {
                let (value, shown) = read(&row, *column, spec)?;
                if !shown.is_empty() {
                    lines.push((spec.label.clone(), shown));
                }
                if !value.is_empty() {
                    answers.insert(spec.name.clone(), value);
                }
            }
            let organization_id: String = row.try_get("", "organization_id")?;
            let first: Option<String> = row.try_get("", "u_first")?;
            let last: Option<String> = row.try_get("", "u_last")?;
            let replaced_at: Option<chrono::DateTime<chrono::Utc>> = row.try_get("", "date_deleted")?;
            let recorded_at: chrono::DateTime<chrono::Utc> = row.try_get("", "created_at")?;
            records.push(ProfileRecord {
                record_id: row.try_get("", id_column)?,
                lines,
                values: answers,
                organization_name: row.try_get("", "organization_name")?,
                recorded_by: first.zip(last).map(|(f, l)| format!("{f} {l}")),
                recorded_at,
                recorded_on: state.local_date(recorded_at).format("%-m/%-d/%Y").to_string(),
                editable: replaced_at.is_none() && organization_id == context.organization_id,
                replaced: replaced_at.map(|at| state.stamp(at)),
                replaced_at,
            });
        }
        let required_notice = if kind == ProfileKind::OutreachInformation
            && !records.iter().any(|r| r.replaced_at.is_none())
            && in_street_outreach(db, personal_id, &context.organization_id).await?
        {
            Some("Required for street outreach: record where and when the client can be found.".to_string())
        } else {
            None
        };
        sections.push(ProfileSection {
            kind,
            records,
            required_notice,
        });
    }
    audit::record_view(
        state,
        state.now(),
        &session.actor(),
        Event::new("profile.view")
            .on("client", personal_id)
            .client(personal_id),
    )
    .await?;
    Ok(ClientProfile {
        personal_id: personal_id.to_string(),
        client_name,
        sections,
    })
}

/// The client has an open street outreach enrollment in the organization.
async fn in_street_outreach(
    db: &impl ConnectionTrait,
    personal_id: &str,
    organization_id: &str,
) -> Result<bool, AppError> {
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "SELECT e.enrollment_id FROM enrollments e JOIN projects p ON p.project_id = e.project_id \
             LEFT JOIN exits x ON x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL \
             WHERE e.personal_id = ? AND p.organization_id = ? AND p.project_type = ? \
             AND e.date_deleted IS NULL AND x.exit_id IS NULL",
            vec![personal_id.into(), organization_id.into(), 4.into()],
        ))
        .await?;
    Ok(row.is_some())
}

/// Checks the answers of a record; answers the column values to store.
pub fn check(
    kind: ProfileKind,
    answers: &Answers,
    today: NaiveDate,
) -> Result<Vec<(String, Value)>, AppError> {
    let mut errors = Vec::new();
    let mut values = Vec::new();
    let mut any = false;
    for (column, spec) in kind.columns() {
        let name = spec.name.as_str();
        let typed = answers
            .get(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        if spec.required && typed.is_none() {
            errors.push(FieldError::new(name, "Required."));
        }
        any |= typed.is_some();
        let value = match (column, typed) {
            (ColumnType::Flag, typed) => Value::Bool(Some(typed.as_deref() == Some("yes"))),
            (ColumnType::Text(_), None) => Value::String(None),
            (ColumnType::Date, None) => Value::ChronoDate(None),
            (ColumnType::Code, None) => Value::Int(None),
            (ColumnType::Text(max), Some(text)) => {
                let mut text = text;
                if text.chars().count() > max {
                    errors.push(FieldError::new(name, format!("At most {max} characters.")));
                }
                match name {
                    "email" if !(text.contains('@') && text.contains('.')) => {
                        errors.push(FieldError::new(
                            name,
                            "Enter an email address like name@example.org.",
                        ));
                    }
                    "phone" | "alt_phone" => {
                        let digits = text.chars().filter(char::is_ascii_digit).count();
                        if !(7..=15).contains(&digits)
                            || text
                                .chars()
                                .any(|c| !(c.is_ascii_digit() || " -+().".contains(c)))
                        {
                            errors.push(FieldError::new(name, "Enter a phone number (7 to 15 digits)."));
                        }
                    }
                    "state" => {
                        text = text.to_ascii_uppercase();
                        if !(text.len() == 2 && text.chars().all(|c| c.is_ascii_uppercase())) {
                            errors.push(FieldError::new(name, "Two letters, e.g. MO."));
                        }
                    }
                    "zip" => {
                        let ok = match text.split_once('-') {
                            None => text.len() == 5 && text.chars().all(|c| c.is_ascii_digit()),
                            Some((a, b)) => {
                                a.len() == 5
                                    && b.len() == 4
                                    && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit())
                            }
                        };
                        if !ok {
                            errors.push(FieldError::new(name, "Five digits (or ZIP+4)."));
                        }
                    }
                    _ => {}
                }
                if let FieldKind::Select(choices) = &spec.kind
                    && !choices.iter().any(|c| c.value == text)
                {
                    errors.push(FieldError::new(name, "Choose a value from the list."));
                }
                Value::String(Some(text))
            }
            (ColumnType::Date, Some(text)) => match FieldError::date(name, Some(&text)) {
                Ok(Some(date)) if date > today => {
                    errors.push(FieldError::new(name, "The date cannot be in the future."));
                    Value::ChronoDate(None)
                }
                Ok(date) => Value::ChronoDate(date),
                Err(error) => {
                    errors.push(error);
                    Value::ChronoDate(None)
                }
            },
            (ColumnType::Code, Some(text)) => {
                let ok = matches!(&spec.kind, FieldKind::Select(choices) if choices.iter().any(|c| c.value == text));
                if !ok {
                    errors.push(FieldError::new(name, "Choose a value from the list."));
                }
                Value::Int(text.parse().ok())
            }
        };
        values.push((spec.name.clone(), value));
    }
    let date_of = |key: &str| {
        values.iter().find(|(k, _)| k == key).and_then(|(_, v)| match v {
            Value::ChronoDate(Some(d)) => Some(*d),
            _ => None,
        })
    };
    if let (Some(from), Some(to)) = (date_of("from_date"), date_of("to_date"))
        && to < from
    {
        errors.push(FieldError::new("to_date", "\"To\" is on or after \"From\"."));
    }
    if !any {
        errors.push(FieldError::new("form", "Fill in at least one field."));
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(AppError::Validation(errors))
    }
}

pub async fn save(
    state: &AppState,
    session: &CurrentSession,
    personal_id: &str,
    kind: &str,
    record_id: Option<&str>,
    answers: Answers,
) -> Result<(), AppError> {
    let context = session.require_workgroup(crate::domain::access::CASE_WORK)?;
    let kind = ProfileKind::from_code(kind).ok_or(AppError::NotFound)?;
    let db = &state.db;
    require_visible(db, session, personal_id).await?;
    let values = check(kind, &answers, state.today())?;
    let (table, id_column) = kind.table();
    let backend = db.get_database_backend();
    let now = state.now();
    let txn = begin_write(db).await?;
    if let Some(old) = record_id {
        let row = txn
            .query_one_raw(statement(
                backend,
                &format!(
                    "SELECT organization_id, date_deleted FROM {table} WHERE {id_column} = ? AND personal_id = ?"
                ),
                vec![old.into(), personal_id.into()],
            ))
            .await?
            .ok_or(AppError::NotFound)?;
        let organization_id: String = row.try_get("", "organization_id")?;
        let deleted: Option<chrono::DateTime<chrono::Utc>> = row.try_get("", "date_deleted")?;
        if organization_id != context.organization_id {
            return Err(AppError::Forbidden);
        }
        if deleted.is_some() {
            return Err(AppError::Conflict(
                "That record was already replaced: edit the current one.".into(),
            ));
        }
        txn.execute_raw(statement(
            backend,
            &format!("UPDATE {table} SET date_deleted = ?, updated_at = ? WHERE {id_column} = ?"),
            vec![now.into(), now.into(), old.into()],
        ))
        .await?;
    }
    let id = insert_record(
        &txn,
        kind,
        personal_id,
        &context.organization_id,
        values,
        &session.user_id,
        now,
    )
    .await?;
    let action = if record_id.is_some() {
        "profile.update"
    } else {
        "profile.create"
    };
    audit::record(
        &txn,
        now,
        &session.actor(),
        Event::new(action)
            .on(table, &id)
            .client(personal_id)
            .detail(kind.code()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Inserts a profile record (inside the caller's transaction); answers its ID.
pub async fn insert_record(
    txn: &impl ConnectionTrait,
    kind: ProfileKind,
    personal_id: &str,
    organization_id: &str,
    values: Vec<(String, Value)>,
    user_id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String, AppError> {
    let (table, id_column) = kind.table();
    let id = new_id();
    let mut columns = vec![
        id_column.to_string(),
        "personal_id".into(),
        "organization_id".into(),
    ];
    let mut row: Vec<Value> = vec![id.clone().into(), personal_id.into(), organization_id.into()];
    for (column, value) in values {
        columns.push(column);
        row.push(value);
    }
    for (column, value) in [
        ("created_at", Value::from(now)),
        ("updated_at", Value::from(now)),
        ("created_by", Value::from(user_id.to_string())),
    ] {
        columns.push(column.into());
        row.push(value);
    }
    let marks = crate::db::marks(row.len());
    txn.execute_raw(statement(
        txn.get_database_backend(),
        &format!("INSERT INTO {table} ({}) VALUES ({marks})", columns.join(", ")),
        row,
    ))
    .await?;
    Ok(id)
}
