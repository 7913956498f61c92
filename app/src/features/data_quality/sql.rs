//! The report's SQL: the universe as a CTE, and every count as a condition on one row
//! source (enrollment, client, exit), in the dialect of SQLite or PostgreSQL.

use chrono::NaiveDate;
use sea_orm::{DbBackend, Value};

use super::service::Period;
use crate::db::marks;
use crate::db::zone::CocDate;
use crate::domain::data_quality::{
    CHILD_HEAD, Column, ELEMENTS, EXIT_BEFORE_ENTRY, HEAD_EXITED_FIRST, HEADS_NOT_ONE, LAG_BUCKETS, LagOf,
    OVERLAPPING, Universe, element_code, lag_code,
};
use crate::state::AppState;

/// SQL that differs between SQLite and PostgreSQL.
pub(super) struct Dialect {
    backend: DbBackend,
    /// The CoC date of a timestamp, for the days from a HUD date to its record's entry.
    coc_date: CocDate,
}

impl Dialect {
    pub(super) fn new(state: &AppState, backend: DbBackend, period: &Period) -> Self {
        Dialect {
            backend,
            coc_date: CocDate::new(backend, state.time_zone, period.from, period.to),
        }
    }

    fn year(&self, col: &str) -> String {
        match self.backend {
            DbBackend::Postgres => format!("CAST(EXTRACT(YEAR FROM {col}) AS INTEGER)"),
            _ => format!("CAST(strftime('%Y', {col}) AS INTEGER)"),
        }
    }

    fn month_day(&self, col: &str) -> String {
        match self.backend {
            DbBackend::Postgres => format!("to_char({col}, 'MM-DD')"),
            _ => format!("strftime('%m-%d', {col})"),
        }
    }

    /// 18 or over on `on` (a Feb 29 birthday counts from Mar 1, as `domain::dates`).
    fn adult(&self, dob: &str, on: &str) -> String {
        let (by, oy) = (self.year(dob), self.year(on));
        format!(
            "({dob} IS NOT NULL AND ({by} + 18 < {oy} OR ({by} + 18 = {oy} AND {} <= {})))",
            self.month_day(dob),
            self.month_day(on)
        )
    }

    /// Under 18 on `on`, age known.
    fn child(&self, dob: &str, on: &str) -> String {
        format!("({dob} IS NOT NULL AND NOT {})", self.adult(dob, on))
    }

    /// Whole days from the HUD date `date` to the CoC date of the timestamp `created`.
    fn lag(&self, date: &str, created: &str) -> String {
        self.coc_date.days_from(date, created)
    }
}

pub(super) fn lit(date: NaiveDate) -> String {
    format!("'{}'", date.format("%Y-%m-%d"))
}

/// What of the universe a query reads.
pub(super) struct Reads<'a> {
    /// Only these enrollments (a caseload's), else every one in the period.
    pub only: Option<&'a [String]>,
    /// With the per-enrollment facts the integrity and income checks need (`checked`),
    /// each worked out once per enrollment (the CTE is materialized).
    pub checked: bool,
}

/// The universe (`u`) as a CTE, with its values (the project IDs, then `only`).
///
/// Checked, each enrollment carries what the checks would otherwise ask of other rows
/// once per condition: its income answers at entry (1) and exit (3), the start of the
/// first overlapping enrollment of the client in the project, the household's number of
/// heads and the first exit of one of them. The CTE is materialized so each of these is
/// read once per enrollment however many counts use it (both databases honour
/// `MATERIALIZED`: SQLite ≥ 3.35, PostgreSQL ≥ 12).
pub(super) fn universe(period: &Period, reads: Reads<'_>) -> (String, Vec<Value>) {
    let checked = if reads.checked {
        ", (SELECT MIN(i.income_from_any_source) FROM income_benefits i WHERE i.enrollment_id = e.enrollment_id \
         AND i.data_collection_stage = 1 AND i.date_deleted IS NULL) AS income_entry, \
         (SELECT MIN(i.income_from_any_source) FROM income_benefits i WHERE i.enrollment_id = e.enrollment_id \
         AND i.data_collection_stage = 3 AND i.date_deleted IS NULL) AS income_exit, \
         (SELECT MIN(o.entry_date) FROM enrollments o WHERE o.personal_id = e.personal_id \
         AND o.project_id = e.project_id AND o.enrollment_id <> e.enrollment_id AND o.date_deleted IS NULL \
         AND o.entry_date < COALESCE(e.exit_date, '9999-12-31') \
         AND e.entry_date < COALESCE(o.exit_date, '9999-12-31')) AS overlap_from, \
         (SELECT COUNT(*) FROM enrollments h WHERE h.household_id = e.household_id \
         AND h.relationship_to_hoh = 1 AND h.date_deleted IS NULL) AS heads, \
         (SELECT MIN(h.exit_date) FROM enrollments h WHERE h.household_id = e.household_id \
         AND h.relationship_to_hoh = 1 AND h.date_deleted IS NULL AND h.exit_date IS NOT NULL) AS head_exit"
    } else {
        ""
    };
    let only = match reads.only {
        Some(ids) => format!(" AND e.enrollment_id IN ({})", marks(ids.len())),
        None => String::new(),
    };
    let sql = format!(
        "WITH u AS {}(SELECT e.enrollment_id, e.personal_id, e.project_id, e.household_id, e.entry_date, \
         e.exit_date, e.relationship_to_hoh, e.disabling_condition, e.living_situation, e.created_at{checked} \
         FROM enrollments e WHERE e.date_deleted IS NULL AND e.project_id IN ({}) \
         AND e.entry_date <= {} AND (e.exit_date IS NULL OR e.exit_date >= {}){only}) ",
        if reads.checked { "MATERIALIZED " } else { "" },
        marks(period.projects.len()),
        lit(period.to),
        lit(period.from)
    );
    let mut values: Vec<Value> = period
        .projects
        .iter()
        .map(|(id, _)| Value::from(id.clone()))
        .collect();
    values.extend(
        reads
            .only
            .unwrap_or_default()
            .iter()
            .map(|id| Value::from(id.clone())),
    );
    (sql, values)
}

/// Every enrollment with its client and exit.
pub(super) const SOURCE: &str = " FROM u JOIN clients c ON c.personal_id = u.personal_id \
     LEFT JOIN exits x ON x.enrollment_id = u.enrollment_id AND x.date_deleted IS NULL";

/// A count that is a condition on the row source, with what its records show.
pub(super) struct Condition {
    pub code: String,
    pub when: String,
    /// A number (days, heads) or a date shown with each record.
    pub note_num: Option<String>,
    pub note_date: Option<String>,
}

/// The universe's columns that only a checked universe has.
const CHECKED_COLUMNS: [&str; 5] = [
    "u.income_entry",
    "u.income_exit",
    "u.overlap_from",
    "u.heads",
    "u.head_exit",
];

impl Condition {
    /// Whether the condition or what its records show reads a checked universe.
    pub(super) fn needs_checks(&self) -> bool {
        [Some(&self.when), self.note_num.as_ref(), self.note_date.as_ref()]
            .into_iter()
            .flatten()
            .any(|sql| CHECKED_COLUMNS.iter().any(|c| sql.contains(c)))
    }

    fn new(code: impl Into<String>, when: impl Into<String>) -> Self {
        Condition {
            code: code.into(),
            when: when.into(),
            note_num: None,
            note_date: None,
        }
    }

    fn num(mut self, expr: impl Into<String>) -> Self {
        self.note_num = Some(expr.into());
        self
    }

    fn date(mut self, expr: impl Into<String>) -> Self {
        self.note_date = Some(expr.into());
        self
    }
}

/// The (don't know / refused, information missing) conditions of an element.
fn element_conditions(key: &str) -> (String, String) {
    let coded = |col: &str| {
        (
            format!("{col} IN (8, 9)"),
            format!("({col} IS NULL OR {col} = 99)"),
        )
    };
    match key {
        "name" => (
            "c.name_data_quality IN (8, 9)".into(),
            "(c.name_data_quality = 99 OR (c.name_data_quality NOT IN (8, 9) \
             AND (c.first_name IS NULL OR c.last_name IS NULL)))"
                .into(),
        ),
        "ssn" => (
            "c.ssn_data_quality IN (8, 9)".into(),
            "(c.ssn_data_quality = 99 OR (c.ssn_data_quality IN (1, 2) AND c.ssn_encrypted IS NULL))".into(),
        ),
        "dob" => (
            "c.dob_data_quality IN (8, 9)".into(),
            "(c.dob_data_quality = 99 OR (c.dob_data_quality IN (1, 2) AND c.dob IS NULL))".into(),
        ),
        "race" => (
            "c.race_none IN (8, 9)".into(),
            "(c.race_none = 99 OR (c.race_none IS NULL AND c.am_ind_ak_native + c.asian + c.black_af_american \
             + c.hispanic_latinao + c.mid_east_n_african + c.native_hi_pacific + c.white = 0))"
                .into(),
        ),
        "sex" => coded("c.sex"),
        "veteran" => coded("c.veteran_status"),
        "disabling" => coded("u.disabling_condition"),
        "relationship" => (
            "1 = 0".into(),
            "(u.relationship_to_hoh IS NULL OR u.relationship_to_hoh = 99)".into(),
        ),
        "living" => coded("u.living_situation"),
        "income_entry" => coded("u.income_entry"),
        "destination" => (
            "x.destination IN (8, 9)".into(),
            "(x.destination IS NULL OR x.destination IN (30, 99))".into(),
        ),
        "income_exit" => coded("u.income_exit"),
        _ => ("1 = 0".into(), "1 = 0".into()),
    }
}

/// Every condition of the report, by code.
pub(super) fn conditions(d: &Dialect, period: &Period) -> Vec<Condition> {
    let (from, to) = (lit(period.from), lit(period.to));
    let adult = d.adult("c.dob", "u.entry_date");
    let leaver = format!("(x.exit_date IS NOT NULL AND x.exit_date BETWEEN {from} AND {to})");
    let head_or_adult = format!("(u.relationship_to_hoh = 1 OR {adult})");
    let universe = |u: Universe| match u {
        Universe::Everyone => "1 = 1".to_string(),
        Universe::Adults => adult.clone(),
        Universe::HeadsAndAdults => head_or_adult.clone(),
        Universe::Leavers => leaver.clone(),
        Universe::HeadAndAdultLeavers => format!("({leaver} AND {head_or_adult})"),
    };
    let mut out = Vec::new();
    for element in ELEMENTS {
        let base = universe(element.universe);
        let (dkr, missing) = element_conditions(element.key);
        out.push(Condition::new(
            element_code(element, Column::Universe),
            base.clone(),
        ));
        out.push(Condition::new(
            element_code(element, Column::DontKnowRefused),
            format!("({base}) AND ({dkr})"),
        ));
        out.push(Condition::new(
            element_code(element, Column::Missing),
            format!("({base}) AND ({missing})"),
        ));
    }
    let start_lag = d.lag("u.entry_date", "u.created_at");
    let exit_lag = d.lag("x.exit_date", "x.created_at");
    for (i, (lo, hi)) in LAG_BUCKETS.iter().enumerate() {
        let range = |lag: &str| match (i, hi) {
            (0, Some(hi)) => format!("{lag} <= {hi}"),
            (_, Some(hi)) => format!("{lag} BETWEEN {lo} AND {hi}"),
            (_, None) => format!("{lag} >= {lo}"),
        };
        out.push(
            Condition::new(
                lag_code(LagOf::Start, i),
                format!("u.entry_date BETWEEN {from} AND {to} AND {}", range(&start_lag)),
            )
            .num(start_lag.clone()),
        );
        out.push(
            Condition::new(
                lag_code(LagOf::Exit, i),
                format!("{leaver} AND {}", range(&exit_lag)),
            )
            .num(exit_lag.clone()),
        );
    }
    out.push(Condition::new(EXIT_BEFORE_ENTRY, "x.exit_date < u.entry_date").date("x.exit_date"));
    out.push(Condition::new(OVERLAPPING, "u.overlap_from IS NOT NULL").date("u.overlap_from"));
    out.push(Condition::new(HEADS_NOT_ONE, "u.heads <> 1").num("u.heads"));
    out.push(
        Condition::new(
            HEAD_EXITED_FIRST,
            "(u.relationship_to_hoh IS NULL OR u.relationship_to_hoh <> 1) AND u.head_exit IS NOT NULL \
             AND (u.exit_date IS NULL OR u.exit_date > u.head_exit)",
        )
        .date(
            "(SELECT MAX(h.exit_date) FROM enrollments h WHERE h.household_id = u.household_id \
             AND h.relationship_to_hoh = 1 AND h.date_deleted IS NULL AND h.exit_date IS NOT NULL)",
        ),
    );
    out.push(
        Condition::new(
            CHILD_HEAD,
            format!(
                "u.relationship_to_hoh = 1 AND {}",
                d.child("c.dob", "u.entry_date")
            ),
        )
        .date("c.dob"),
    );
    out
}
