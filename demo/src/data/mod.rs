//! `hearth demo-data`: a deterministic, realistic HMIS population for demos, tests and
//! load measurements.
//!
//! Households are generated one by one from a seeded ChaCha8 stream per household
//! ([`household`], pure), turned into table rows with counter-derived IDs ([`rows`]) and
//! written a batch of households per transaction with multi-row inserts ([`writer`]).
//! Generation runs on a blocking thread while earlier batches are written (one
//! transaction at a time on SQLite, [`POSTGRES_WRITERS`] on PostgreSQL) and at most one
//! finished batch waits in between, so memory stays bounded whatever the client count.
//! If a write fails, the batches committed before it stay: start again on a new
//! database.
//!
//! The households are generated against a [`household::World`] read from the database
//! first ([`load`]): its projects, the users who take cases (open stays are assigned to
//! them, a caseload each at most) and the CoC's Coordinated Entry questions (every CE
//! assessment answers them, its score the points of its answers).
//!
//! The same client count, seed and "today" give the same rows and IDs on every run and
//! on both databases. Two things are not: the projects' and users' own IDs (made by
//! [`crate::accounts::seed`]) and the SSN ciphertexts (sealed with a random nonce; the SSNs
//! themselves, and `ssn_last4`, are the same).

pub mod dice;
pub mod household;
pub mod load;
pub mod names;
pub mod rows;
pub mod writer;

use std::time::{Duration, Instant};

use app::crypto::DataKey;
use app::db::entities::client;
use chrono::NaiveDate;
use sea_orm::{DatabaseBackend, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait};

pub use load::{load_projects, load_world};
use rows::{Ids, Rows, TABLES, Table};

/// Households per transaction (about 930 clients and 31,000 rows).
pub const HOUSEHOLDS_PER_BATCH: u64 = 500;

/// Transactions written side by side on PostgreSQL (one per core of a small server).
pub const POSTGRES_WRITERS: usize = 2;

/// The population `serve --demo` adds to a new demo database.
pub const SERVE_DEMO_CLIENTS: u64 = 300;

/// What to generate.
#[derive(Clone, Debug)]
pub struct Options {
    /// Exactly this many clients.
    pub clients: u64,
    pub seed: u64,
    /// The last day of the data; entries fall in the three years before it.
    pub today: NaiveDate,
    /// Print progress lines to standard error.
    pub progress: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoDataError {
    #[error(
        "the database already has {0} clients; demo-data only fills a database without clients \
         (point --database-url or --data-dir at a new one)"
    )]
    NotEmpty(u64),
    #[error("the database has no projects to enroll demo clients in")]
    NoProjects,
    #[error("cannot create the demo organizations: {0}")]
    Seed(app::error::AppError),
    #[error("database error while writing demo data: {0}")]
    Database(#[from] DbErr),
    #[error("the demo-data generator stopped: {0}")]
    Generator(String),
}

/// What was written.
#[derive(Debug)]
pub struct Summary {
    pub clients: u64,
    pub households: u64,
    /// Rows per table, in insert order.
    pub tables: Vec<(&'static str, u64)>,
    pub elapsed: Duration,
    /// Demo users `accounts::seed` created on the way (empty when there were users).
    pub demo_users: Vec<String>,
}

impl Summary {
    pub fn total_rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let seconds = self.elapsed.as_secs_f64();
        writeln!(
            f,
            "Created {} demo clients in {} households: {} rows in {:.1} s ({:.0} clients/s, {:.0} rows/s).",
            self.clients,
            self.households,
            self.total_rows(),
            seconds,
            self.clients as f64 / seconds.max(1e-9),
            self.total_rows() as f64 / seconds.max(1e-9),
        )?;
        for (table, count) in &self.tables {
            writeln!(f, "  {table:<26} {count:>12}")?;
        }
        Ok(())
    }
}

/// Fills the database with `options.clients` demo clients. Refuses a database that has
/// clients; creates the demo organizations, projects and users first when it has no
/// users (see [`crate::accounts::seed`]).
pub async fn run(
    db: &DatabaseConnection,
    options: &Options,
    data_key: &DataKey,
) -> Result<Summary, DemoDataError> {
    let started = Instant::now();
    let existing = client::Entity::find().count(db).await?;
    if existing > 0 {
        return Err(DemoDataError::NotEmpty(existing));
    }
    let demo_users = crate::accounts::seed(db, chrono::Utc::now())
        .await
        .map_err(DemoDataError::Seed)?;
    let world = load_world(db, options.seed, options.today)
        .await?
        .ok_or(DemoDataError::NoProjects)?;
    let total = options.clients;
    let key = data_key.clone();

    // Generation on a blocking thread, one batch ahead at most.
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Rows>(1);
    let generator = tokio::task::spawn_blocking(move || {
        let mut ids = Ids::default();
        let mut batch = Rows::default();
        let mut remaining = total;
        let mut index = 0u64;
        while remaining > 0 {
            let max_members = usize::try_from(remaining.min(6)).unwrap_or(6);
            let household = household::generate(&world, index, max_members);
            remaining -= household.members.len() as u64;
            index += 1;
            batch.add(&household, &world, &mut ids, Some(&key));
            if batch.households >= HOUSEHOLDS_PER_BATCH
                && sender.blocking_send(std::mem::take(&mut batch)).is_err()
            {
                // The writer stopped (and says why).
                return index;
            }
        }
        if batch.households > 0 {
            let _ = sender.blocking_send(batch);
        }
        index
    });

    // SQLite has one writer at a time; PostgreSQL writes batches side by side (each
    // batch is whole households, so the transactions never touch each other's rows).
    let writers = match db.get_database_backend() {
        DatabaseBackend::Postgres => POSTGRES_WRITERS,
        _ => 1,
    };
    let mut counts = [0u64; TABLES];
    let mut households = 0u64;
    let mut last_report = Instant::now();
    let mut in_flight = tokio::task::JoinSet::new();
    let mut add = |written: [u64; TABLES], counts: &mut [u64; TABLES]| {
        for (total, n) in counts.iter_mut().zip(written) {
            *total += n;
        }
        if options.progress && (last_report.elapsed() >= Duration::from_secs(2) || counts[0] == total) {
            last_report = Instant::now();
            let seconds = started.elapsed().as_secs_f64();
            eprintln!(
                "demo-data: {} / {} clients ({:.1}%), {:.0} clients/s, {:.0} s",
                counts[0],
                total,
                100.0 * counts[0] as f64 / total as f64,
                counts[0] as f64 / seconds.max(1e-9),
                seconds,
            );
        }
    };
    loop {
        let batch = if in_flight.len() < writers {
            receiver.recv().await
        } else {
            None
        };
        match batch {
            Some(batch) => {
                households += batch.households;
                let db = db.clone();
                in_flight.spawn(async move { writer::write(&db, batch).await });
            }
            None => match in_flight.join_next().await {
                Some(written) => {
                    let written = written.map_err(|e| DemoDataError::Generator(e.to_string()))??;
                    add(written, &mut counts);
                }
                None => break,
            },
        }
    }
    generator
        .await
        .map_err(|e| DemoDataError::Generator(e.to_string()))?;
    // The priority list entries of the CE assessments written.
    let txn = app::db::begin_write(db).await?;
    app::features::coordinated_entry::service::rebuild_list(&txn)
        .await
        .map_err(DemoDataError::Seed)?;
    txn.commit().await?;
    // The Annual Assessment Tool's owed anniversaries, for the demo's today. The
    // data-quality facts are built by the server (they need the CoC's time zone): the
    // marks the generator's writes left are dropped.
    app::features::annual::stored::rebuild(db, options.today, None)
        .await
        .map_err(DemoDataError::Seed)?;
    app::features::data_quality::kept::forget(db)
        .await
        .map_err(DemoDataError::Seed)?;
    app::db::refresh_statistics(db).await?;
    Ok(Summary {
        clients: counts[0],
        households,
        tables: Table::ALL
            .into_iter()
            .zip(counts)
            .map(|(table, n)| (table.name(), n))
            .collect(),
        elapsed: started.elapsed(),
        demo_users,
    })
}
