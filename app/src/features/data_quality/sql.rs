//! The report's SQL: each enrollment's facts (worked out from the source rows, or read
//! from `dq_facts` where they are kept), the universe of a period as a CTE over them, and
//! every count as a condition on one row of it, in the dialect of SQLite or PostgreSQL.

use chrono::NaiveDate;
use chrono_tz::Tz;
use sea_orm::{DbBackend, Value};

use super::service::Period;
use crate::db::marks;
use crate::db::zone::CocDate;
use crate::domain::data_quality::{
    CHILD_HEAD, Column, ELEMENTS, EXIT_BEFORE_ENTRY, HEAD_EXITED_FIRST, HEADS_NOT_ONE, LAG_BUCKETS, LagOf,
    OVERLAPPING, Universe, element_code, lag_code,
};
use crate::state::AppState;

/// The first day the CoC dates of the facts' timestamps are worked out exactly from
/// (before it the offset of that day holds).
const FACTS_FROM: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// SQL that differs between SQLite and PostgreSQL.
pub(crate) struct Dialect {
    backend: DbBackend,
    /// The CoC date of a timestamp, for the days from a HUD date to its record's entry.
    coc_date: CocDate,
}

impl Dialect {
    /// The facts do not depend on a report's period: the CoC dates of timestamps are
    /// exact from 2000 to a year after today.
    pub(crate) fn new(backend: DbBackend, zone: Tz, today: NaiveDate) -> Self {
        Dialect {
            backend,
            coc_date: CocDate::new(backend, zone, FACTS_FROM, today),
        }
    }

    /// The dialect of the state's database, zone and day.
    pub(crate) fn of(state: &AppState) -> Self {
        Dialect::new(state.db.get_database_backend(), state.time_zone, state.today())
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

/// The columns of `dq_facts`, in order: what the report asks of each enrollment that
/// does not depend on its period.
pub(crate) const FACT_COLUMNS: &str = "enrollment_id, household_id, personal_id, project_id, entry_date, \
     exit_date, head, adult, dont_know, missing, x_exit_date, start_lag, exit_lag, overlap_from, heads, head_exit, \
     head_exit_last, child_head, annual_missed";

/// The facts of every enrollment (not deleted) `filter` keeps (a condition on
/// enrollments `e`), worked out from the source rows, as the columns of `dq_facts`.
///
/// Each element's "don't know / refused" and "missing" answers are one bit each of
/// `dont_know` and `missing` (bit `i` for `ELEMENTS[i]`). Each enrollment is read with
/// its client and exit once, and with what the checks ask of other rows: its income
/// answers at entry (1) and exit (3), the start of the first overlapping enrollment of
/// the client in the project, the household's number of heads and their first and
/// last exit. The first unsettled annual window (`annual_missed`) follows calendar
/// rules SQL cannot spell the same way on both databases: it is left empty here and
/// set by `kept` (the report works it out in Rust for the rows worked out here).
pub(crate) fn facts_select(d: &Dialect, filter: &str) -> String {
    let bits = |which: fn(&str) -> (String, String), dont_know: bool| -> String {
        ELEMENTS
            .iter()
            .enumerate()
            .map(|(i, element)| {
                let (dkr, missing) = which(element.key);
                let when = if dont_know { dkr } else { missing };
                format!("CASE WHEN {when} THEN {} ELSE 0 END", 1_i64 << i)
            })
            .collect::<Vec<_>>()
            .join(" + ")
    };
    format!(
        "SELECT u.enrollment_id, u.household_id, u.personal_id, u.project_id, u.entry_date, u.exit_date, \
         CASE WHEN u.relationship_to_hoh = 1 THEN 1 ELSE 0 END AS head, \
         CASE WHEN {adult} THEN 1 ELSE 0 END AS adult, \
         ({dont_know}) AS dont_know, ({missing}) AS missing, x.exit_date AS x_exit_date, \
         {start_lag} AS start_lag, {exit_lag} AS exit_lag, u.overlap_from, u.heads, u.head_exit, \
         (SELECT MAX(h.exit_date) FROM enrollments h WHERE h.household_id = u.household_id \
         AND h.relationship_to_hoh = 1 AND h.date_deleted IS NULL AND h.exit_date IS NOT NULL) AS head_exit_last, \
         CASE WHEN u.relationship_to_hoh = 1 AND {child} THEN 1 ELSE 0 END AS child_head, \
         CAST(NULL AS DATE) AS annual_missed \
         FROM (SELECT e.enrollment_id, e.personal_id, e.project_id, e.household_id, e.entry_date, e.exit_date, \
         e.relationship_to_hoh, e.disabling_condition, e.living_situation, e.created_at, \
         (SELECT MIN(i.income_from_any_source) FROM income_benefits i WHERE i.enrollment_id = e.enrollment_id \
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
         AND h.relationship_to_hoh = 1 AND h.date_deleted IS NULL AND h.exit_date IS NOT NULL) AS head_exit \
         FROM enrollments e WHERE e.date_deleted IS NULL AND {filter}) u \
         JOIN clients c ON c.personal_id = u.personal_id \
         LEFT JOIN exits x ON x.enrollment_id = u.enrollment_id AND x.date_deleted IS NULL",
        adult = d.adult("c.dob", "u.entry_date"),
        child = d.child("c.dob", "u.entry_date"),
        dont_know = bits(element_conditions, true),
        missing = bits(element_conditions, false),
        start_lag = d.lag("u.entry_date", "u.created_at"),
        exit_lag = d.lag("x.exit_date", "x.created_at"),
    )
}

/// Where the report reads each enrollment's facts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source<'a> {
    /// `dq_facts`, the households marked stale (these, read in the same snapshot)
    /// worked out from the source rows.
    Kept(&'a [String]),
    /// The source rows of every enrollment (the facts are not built, or too many
    /// households are marked).
    Rows,
    /// The source rows of these households (marked stale) only.
    Marked(&'a [String]),
}

impl<'a> Source<'a> {
    /// The kept facts with these households marked, or the source rows.
    pub(crate) fn of(stale: Option<&'a [String]>) -> Self {
        stale.map_or(Source::Rows, Source::Kept)
    }

    /// The households marked stale, when the facts are kept.
    pub(crate) fn kept(self) -> Option<&'a [String]> {
        match self {
            Source::Kept(stale) => Some(stale),
            _ => None,
        }
    }
}

/// The universe (`u`, the facts of every enrollment of the projects in scope active in
/// the period) as a CTE, with its values; `only` these enrollments (a caseload's) when
/// given.
pub(super) fn universe(
    d: &Dialect,
    period: &Period,
    only: Option<&[String]>,
    source: Source<'_>,
) -> (String, Vec<Value>) {
    let filter = |a: &str| {
        let only = match only {
            Some(ids) => format!(" AND {a}.enrollment_id IN ({})", marks(ids.len())),
            None => String::new(),
        };
        format!(
            "{a}.project_id IN ({}) AND {a}.entry_date <= {} AND ({a}.exit_date IS NULL OR {a}.exit_date >= {}){only}",
            marks(period.projects.len()),
            lit(period.to),
            lit(period.from)
        )
    };
    let mut values: Vec<Value> = period
        .projects
        .iter()
        .map(|(id, _)| Value::from(id.clone()))
        .collect();
    values.extend(only.unwrap_or_default().iter().map(|id| Value::from(id.clone())));
    // The marked households as bound values: the planners then read their enrollments
    // by index (with a subquery PostgreSQL guessed 690 marks and read every enrollment).
    let marked = |stale: &[String], values: &mut Vec<Value>| {
        values.extend(stale.iter().map(|h| Value::from(h.clone())));
        format!("{} AND e.household_id IN ({})", filter("e"), marks(stale.len()))
    };
    let sql = match source {
        // Materialized: each enrollment's facts are worked out once however many counts
        // read them (both databases honour it: SQLite ≥ 3.35, PostgreSQL ≥ 12).
        Source::Rows => format!("WITH u AS MATERIALIZED ({}) ", facts_select(d, &filter("e"))),
        Source::Marked(stale) => {
            let only_marked = marked(stale, &mut values);
            format!("WITH u AS MATERIALIZED ({}) ", facts_select(d, &only_marked))
        }
        Source::Kept(stale) => {
            let kept = format!(
                "SELECT {FACT_COLUMNS} FROM dq_facts f{} WHERE {} \
                 AND NOT EXISTS (SELECT 1 FROM dq_dirty m WHERE m.household_id = f.household_id)",
                // SQLite reads a quarter of the rows or more through the index by
                // project ten times slower than it reads the whole table.
                if period.wide && d.backend == DbBackend::Sqlite {
                    " NOT INDEXED"
                } else {
                    ""
                },
                filter("f"),
            );
            if stale.is_empty() {
                format!("WITH u AS ({kept}) ")
            } else {
                values.extend(values.clone());
                let only_marked = marked(stale, &mut values);
                format!("WITH u AS ({kept} UNION ALL {}) ", facts_select(d, &only_marked))
            }
        }
    };
    (sql, values)
}

/// Every enrollment's facts.
pub(super) const SOURCE: &str = " FROM u";

/// A count that is a condition on the row source, with what its records show.
pub(super) struct Condition {
    pub code: String,
    pub when: String,
    /// A number (days, heads) or a date shown with each record.
    pub note_num: Option<String>,
    pub note_date: Option<String>,
}

impl Condition {
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

/// Every condition of the report, by code, on the facts of the universe (`u`). The
/// part true of fewest rows comes first: SQLite stops at the first false part (a
/// whole-CoC count at 1,000,000 clients: 0.9 s with the universe's part first, 0.6 s
/// so).
pub(super) fn conditions(period: &Period) -> Vec<Condition> {
    let (from, to) = (lit(period.from), lit(period.to));
    let leaver = format!("(u.x_exit_date IS NOT NULL AND u.x_exit_date BETWEEN {from} AND {to})");
    let head_or_adult = "(u.head = 1 OR u.adult = 1)".to_string();
    let universe = |u: Universe| match u {
        Universe::Everyone => "1 = 1".to_string(),
        Universe::Adults => "u.adult = 1".to_string(),
        Universe::HeadsAndAdults => head_or_adult.clone(),
        Universe::Leavers => leaver.clone(),
        Universe::HeadAndAdultLeavers => format!("({leaver} AND {head_or_adult})"),
    };
    let mut out = Vec::new();
    for (i, element) in ELEMENTS.iter().enumerate() {
        let base = universe(element.universe);
        let bit = 1_i64 << i;
        out.push(Condition::new(
            element_code(element, Column::Universe),
            base.clone(),
        ));
        out.push(Condition::new(
            element_code(element, Column::DontKnowRefused),
            format!("(u.dont_know & {bit}) <> 0 AND ({base})"),
        ));
        out.push(Condition::new(
            element_code(element, Column::Missing),
            format!("(u.missing & {bit}) <> 0 AND ({base})"),
        ));
    }
    for (i, (lo, hi)) in LAG_BUCKETS.iter().enumerate() {
        let range = |lag: &str| match (i, hi) {
            (0, Some(hi)) => format!("{lag} <= {hi}"),
            (_, Some(hi)) => format!("{lag} BETWEEN {lo} AND {hi}"),
            (_, None) => format!("{lag} >= {lo}"),
        };
        out.push(
            Condition::new(
                lag_code(LagOf::Start, i),
                format!(
                    "{} AND u.entry_date BETWEEN {from} AND {to}",
                    range("u.start_lag")
                ),
            )
            .num("u.start_lag"),
        );
        out.push(
            Condition::new(
                lag_code(LagOf::Exit, i),
                format!("{} AND {leaver}", range("u.exit_lag")),
            )
            .num("u.exit_lag"),
        );
    }
    out.push(Condition::new(EXIT_BEFORE_ENTRY, "u.x_exit_date < u.entry_date").date("u.x_exit_date"));
    out.push(Condition::new(OVERLAPPING, "u.overlap_from IS NOT NULL").date("u.overlap_from"));
    out.push(Condition::new(HEADS_NOT_ONE, "u.heads <> 1").num("u.heads"));
    out.push(
        Condition::new(
            HEAD_EXITED_FIRST,
            "u.head = 0 AND u.head_exit IS NOT NULL AND (u.exit_date IS NULL OR u.exit_date > u.head_exit)",
        )
        .date("u.head_exit_last"),
    );
    out.push(
        Condition::new(CHILD_HEAD, "u.child_head = 1")
            .date("(SELECT c.dob FROM clients c WHERE c.personal_id = u.personal_id)"),
    );
    out
}
