//! The inactivity rule's reads, shared by the sweep, the alerts, administrative exits
//! and the data-quality report: open households of a project at a standing, read in
//! keyset batches of heads with their members' latest activity and open CE referrals.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseConnection, Value};

use crate::db::marks;
use crate::db::statement;
use crate::domain::auto_exit::{MemberActivity, Setting, Standing, exit_date, last_activity, standing};
use crate::domain::codes::ProjectType;
use crate::error::AppError;

use super::sweep::*;

/// An open household of one batch at the standing asked for.
pub(crate) struct Inactive {
    pub household_id: String,
    pub members: Vec<Member>,
    pub last_activity: NaiveDate,
    /// A member's CE referral is still waiting for its result: the sweep leaves it.
    pub referred: bool,
}

impl Inactive {
    /// The head of household (the first member when none is marked).
    pub fn head(&self) -> Option<&Member> {
        self.members.iter().find(|m| m.head).or(self.members.first())
    }

    pub(super) fn exit_date(&self, night_by_night: bool) -> Option<NaiveDate> {
        let activity: Vec<MemberActivity> = self.members.iter().map(|m| m.activity).collect();
        exit_date(&activity, night_by_night)
    }
}

/// One keyset batch of a project's open heads of household who started on or before
/// `cutoff` (after `after`): how many were read, where the next batch starts, and the
/// households at `at_least` standing on `today`. None when no heads are left.
pub(crate) struct Batch {
    pub read: usize,
    pub next: (NaiveDate, String),
    pub households: Vec<Inactive>,
}

/// The households `ids` of a project whose members' last activity puts them at
/// `at_least` standing on `today`, with their open members (`referred` not read).
pub(super) async fn standing_at_least(
    db: &DatabaseConnection,
    project: &Project,
    ids: &[&str],
    today: NaiveDate,
    at_least: Standing,
) -> Result<Vec<Inactive>, AppError> {
    let mut households = Vec::new();
    for (household_id, members) in members(db, &project.id, ids).await? {
        let activity: Vec<MemberActivity> = members.iter().map(|m| m.activity).collect();
        if let Some(last) = last_activity(&activity)
            && standing(last, today, project.setting) >= at_least
        {
            households.push(Inactive {
                household_id,
                members,
                last_activity: last,
                referred: false,
            });
        }
    }
    Ok(households)
}

pub(crate) async fn next_batch(
    db: &DatabaseConnection,
    project: &Project,
    cutoff: NaiveDate,
    after: Option<&(NaiveDate, String)>,
    today: NaiveDate,
    at_least: Standing,
) -> Result<Option<Batch>, AppError> {
    let heads = heads(db, project, cutoff, after).await?;
    let Some(last) = heads.last() else {
        return Ok(None);
    };
    let next = (last.entry_date, last.enrollment_id.clone());
    let ids: Vec<&str> = heads.iter().map(|h| h.household_id.as_str()).collect();
    let mut households = standing_at_least(db, project, &ids, today, at_least).await?;
    let clients: Vec<(&str, &str)> = households
        .iter()
        .flat_map(|h| {
            h.members
                .iter()
                .map(move |m| (h.household_id.as_str(), m.personal_id.as_str()))
        })
        .collect();
    let referred = open_referrals(db, &clients).await?;
    for household in &mut households {
        household.referred = referred.contains(&household.household_id);
    }
    Ok(Some(Batch {
        read: heads.len(),
        next,
        households,
    }))
}

/// The households among `households` (a caseload's) of a project at `at_least`
/// standing on `today`: the reads of `next_batch` (open heads who started on or before
/// `cutoff`, then their open members) for these households only, a batch at a time.
/// `referred` is not read (false): the callers ask only who stands where.
pub(crate) async fn among(
    db: &DatabaseConnection,
    project: &Project,
    cutoff: NaiveDate,
    households: &[&str],
    today: NaiveDate,
    at_least: Standing,
) -> Result<Vec<Inactive>, AppError> {
    let mut out = Vec::new();
    for chunk in households.chunks(BATCH as usize) {
        let mut values: Vec<Value> = vec![project.id.clone().into(), cutoff.into()];
        values.extend(chunk.iter().map(|h| Value::from(h.to_string())));
        let rows = db
            .query_all_raw(statement(
                db.get_database_backend(),
                &format!(
                    "SELECT DISTINCT household_id FROM enrollments WHERE {HEADS_WHERE} AND household_id IN ({})",
                    marks(chunk.len())
                ),
                values,
            ))
            .await?;
        let ids = rows
            .iter()
            .map(|r| r.try_get::<String>("", "household_id"))
            .collect::<Result<Vec<_>, _>>()?;
        if ids.is_empty() {
            continue;
        }
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        out.extend(standing_at_least(db, project, &ids, today, at_least).await?);
    }
    Ok(out)
}

/// The projects with an auto-exit setting, all or `only` these (Coordinated Entry
/// never auto-exits).
pub(crate) async fn projects(db: &DatabaseConnection, only: &[String]) -> Result<Vec<Project>, AppError> {
    load_projects(db, only, None).await
}

/// Every project, all or `only` these, read as if each had an auto-exit setting of
/// `inactive_days` (administrative exits). Coordinated Entry is left out: its
/// enrollments leave through the CE exit, which also takes them off the priority list.
pub(crate) async fn inactive_for(
    db: &DatabaseConnection,
    only: &[String],
    inactive_days: i32,
) -> Result<Vec<Project>, AppError> {
    load_projects(db, only, Some(inactive_days)).await
}

pub(super) async fn load_projects(
    db: &DatabaseConnection,
    only: &[String],
    inactive_days: Option<i32>,
) -> Result<Vec<Project>, AppError> {
    let mut sql = String::from(
        "SELECT project_id, project_name, project_type, auto_exit_days, auto_alert_days FROM projects \
         WHERE date_deleted IS NULL",
    );
    if inactive_days.is_none() {
        sql.push_str(" AND auto_exit_days IS NOT NULL");
    }
    let mut values: Vec<Value> = Vec::new();
    if !only.is_empty() {
        sql.push_str(&format!(" AND project_id IN ({})", marks(only.len())));
        values.extend(only.iter().map(|id| Value::from(id.clone())));
    }
    sql.push_str(" ORDER BY project_name, project_id");
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let project_type = row
            .try_get::<Option<i32>>("", "project_type")?
            .and_then(ProjectType::from_code);
        if project_type.is_some_and(|t| !crate::domain::auto_exit::allowed(t)) {
            continue;
        }
        let setting = match inactive_days {
            Some(days) => Setting {
                exit_days: days,
                alert_days: None,
            },
            None => Setting {
                exit_days: row.try_get("", "auto_exit_days")?,
                alert_days: row.try_get("", "auto_alert_days")?,
            },
        };
        out.push(Project {
            id: row.try_get("", "project_id")?,
            name: row.try_get("", "project_name")?,
            setting,
            night_by_night: project_type == Some(ProjectType::EsNightByNight),
        });
    }
    Ok(out)
}

/// Open heads of household that started on or before the cutoff (later starts cannot
/// be due), from the heads-by-project index.
pub(super) const HEADS_WHERE: &str = "project_id = ? AND relationship_to_hoh = 1 AND exit_date IS NULL \
     AND date_deleted IS NULL AND entry_date <= ?";

pub(super) async fn count_heads(
    db: &DatabaseConnection,
    project: &Project,
    cutoff: NaiveDate,
) -> Result<u64, AppError> {
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            &format!("SELECT COUNT(*) AS n FROM enrollments WHERE {HEADS_WHERE}"),
            vec![project.id.clone().into(), cutoff.into()],
        ))
        .await?;
    let n: i64 = match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

/// An open head of household: the batch's keyset is (entry date, enrollment ID).
pub(super) struct Head {
    entry_date: NaiveDate,
    enrollment_id: String,
    household_id: String,
}

/// The next batch of heads who started on or before `cutoff`, after `after` (entry
/// date, enrollment ID).
pub(super) async fn heads(
    db: &DatabaseConnection,
    project: &Project,
    cutoff: NaiveDate,
    after: Option<&(NaiveDate, String)>,
) -> Result<Vec<Head>, AppError> {
    let mut sql =
        format!("SELECT entry_date, enrollment_id, household_id FROM enrollments WHERE {HEADS_WHERE}");
    let mut values: Vec<Value> = vec![project.id.clone().into(), cutoff.into()];
    if let Some((date, id)) = after {
        sql.push_str(" AND (entry_date > ? OR (entry_date = ? AND enrollment_id > ?))");
        values.extend([(*date).into(), (*date).into(), id.clone().into()]);
    }
    sql.push_str(&format!(" ORDER BY entry_date, enrollment_id LIMIT {BATCH}"));
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(Head {
            entry_date: row.try_get("", "entry_date")?,
            enrollment_id: row.try_get("", "enrollment_id")?,
            household_id: row.try_get("", "household_id")?,
        });
    }
    Ok(out)
}

/// The open members of a project's households with their latest service, bed night and
/// contact (4.12 Current Living Situation, or an update or annual assessment).
pub(crate) async fn members(
    db: &impl ConnectionTrait,
    project_id: &str,
    households: &[&str],
) -> Result<BTreeMap<String, Vec<Member>>, AppError> {
    let mut values: Vec<Value> = vec![project_id.into()];
    values.extend(households.iter().map(|h| Value::from(h.to_string())));
    let sql = format!(
        "SELECT m.household_id, m.enrollment_id, m.personal_id, m.entry_date, m.relationship_to_hoh, \
         (SELECT MAX(s.date_provided) FROM services s WHERE s.enrollment_id = m.enrollment_id \
          AND s.date_deleted IS NULL AND s.record_type <> 200) AS last_service, \
         (SELECT MAX(s.date_provided) FROM services s WHERE s.enrollment_id = m.enrollment_id \
          AND s.date_deleted IS NULL AND s.record_type = 200) AS last_bed_night, \
         (SELECT MAX(c.information_date) FROM current_living_situations c \
          WHERE c.enrollment_id = m.enrollment_id AND c.date_deleted IS NULL) AS last_contact, \
         (SELECT MAX(a.information_date) FROM assessment_events a WHERE a.enrollment_id = m.enrollment_id \
          AND a.date_deleted IS NULL AND a.data_collection_stage IN (2, 5)) AS last_assessment \
         FROM enrollments m WHERE m.project_id = ? AND m.household_id IN ({}) \
         AND m.exit_date IS NULL AND m.date_deleted IS NULL",
        marks(households.len())
    );
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    let mut out: BTreeMap<String, Vec<Member>> = BTreeMap::new();
    for row in rows {
        let contact: Option<NaiveDate> = row.try_get("", "last_contact")?;
        let assessed: Option<NaiveDate> = row.try_get("", "last_assessment")?;
        out.entry(row.try_get("", "household_id")?)
            .or_default()
            .push(Member {
                enrollment_id: row.try_get("", "enrollment_id")?,
                personal_id: row.try_get("", "personal_id")?,
                head: row.try_get::<Option<i32>>("", "relationship_to_hoh")? == Some(1),
                activity: MemberActivity {
                    entry_date: row.try_get("", "entry_date")?,
                    last_service: row.try_get("", "last_service")?,
                    last_bed_night: row.try_get("", "last_bed_night")?,
                    last_contact: contact.max(assessed),
                },
            });
    }
    Ok(out)
}

/// The households among `clients` (household ID, personal ID) with a member whose
/// open CE enrollment has a referral still waiting for its result.
pub(super) async fn open_referrals(
    db: &DatabaseConnection,
    clients: &[(&str, &str)],
) -> Result<HashSet<String>, AppError> {
    if clients.is_empty() {
        return Ok(HashSet::new());
    }
    let sql = format!(
        "SELECT DISTINCT r.personal_id FROM ce_referrals r \
         JOIN events ev ON ev.event_id = r.event_id AND ev.date_deleted IS NULL \
         JOIN enrollments ce ON ce.enrollment_id = r.enrollment_id \
         WHERE r.personal_id IN ({}) AND ev.referral_result IS NULL \
         AND ce.exit_date IS NULL AND ce.date_deleted IS NULL",
        marks(clients.len())
    );
    let values: Vec<Value> = clients.iter().map(|(_, p)| Value::from(p.to_string())).collect();
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    let mut referred_clients = HashSet::new();
    for row in rows {
        referred_clients.insert(row.try_get::<String>("", "personal_id")?);
    }
    Ok(clients
        .iter()
        .filter(|(_, p)| referred_clients.contains(*p))
        .map(|(h, _)| h.to_string())
        .collect())
}
