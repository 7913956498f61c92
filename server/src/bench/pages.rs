//! `hearth bench pages`: the pages people use all day, over HTTP, as signed-in demo
//! users — one at a time and many at once — against a static file served by the same
//! server in the same run. Results go to docs/PERFORMANCE.md.
//!
//! The same walk (`Walk::once`) is what `server/tests/query_plans.rs` records the SQL
//! of, so a page measured here is a page whose query plans CI checks.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use app::db::statement;
use app::domain::access::Workgroup;
use app::state::AppState;
use sea_orm::{ConnectionTrait, DbErr};

use super::{bench_session, client_count};

/// What `hearth bench pages` is asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    /// Concurrent users of the loaded run (the other run has one).
    pub users: usize,
    /// Requests per page and run.
    pub requests: usize,
    /// Whole household exits to walk and finish (they write: use a copy).
    pub exits: usize,
}

/// Who a request is made as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Nobody: the static file.
    Anonymous,
    CaseManager,
    PriorityListManager,
}

impl Role {
    fn username(self) -> Option<&'static str> {
        match self {
            Role::Anonymous => None,
            Role::CaseManager => Some("casemanager"),
            Role::PriorityListManager => Some("plm"),
        }
    }
}

/// One request of a page: a GET of an address, or a server function's POST.
#[derive(Clone, Debug)]
pub enum Request {
    Get(String),
    Post(&'static str, Vec<(String, String)>),
}

/// A page measured: its requests are made in turn, round and round.
#[derive(Clone, Debug)]
pub struct Page {
    pub name: &'static str,
    pub role: Role,
    pub requests: Vec<Request>,
}

/// An error of the walk: the setup could not be made, or a request failed.
#[derive(Debug, thiserror::Error)]
pub enum PagesError {
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("{0}")]
    Setup(String),
    #[error("{what}: {status} {body}")]
    Refused { what: String, status: u16, body: String },
    #[error("{0}: {1}")]
    Http(String, reqwest::Error),
}

/// The signed-in HTTP clients of the walk, one cookie jar per user.
pub struct Users {
    base: String,
    static_path: String,
    case_managers: Vec<reqwest::Client>,
    priority_list_managers: Vec<reqwest::Client>,
    anonymous: reqwest::Client,
}

fn http_client() -> Result<reqwest::Client, PagesError> {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(256)
        .tcp_nodelay(true)
        .build()
        .map_err(|e| PagesError::Http("an HTTP client".into(), e))
}

impl Users {
    /// Signs `n` sessions of each demo user in (password `demo::DEMO_PASSWORD`).
    pub async fn sign_in(base: &str, n: usize) -> Result<Users, PagesError> {
        let mut users = Users {
            base: base.trim_end_matches('/').to_string(),
            static_path: "/favicon.svg".into(),
            case_managers: Vec::new(),
            priority_list_managers: Vec::new(),
            anonymous: http_client()?,
        };
        // The baseline: a static file of the site, or — when the site is not built
        // (no `cargo leptos build`) — the health check, which reads no database either.
        let favicon = users
            .anonymous
            .get(format!("{}{}", users.base, users.static_path))
            .send()
            .await
            .map_err(|e| PagesError::Http("the static file".into(), e))?;
        if !favicon.status().is_success() {
            users.static_path = "/healthz".into();
        }
        for role in [Role::CaseManager, Role::PriorityListManager] {
            for _ in 0..n.max(1) {
                let client = http_client()?;
                let username = role.username().unwrap_or_default();
                let form = [("username", username), ("password", crate::demo::DEMO_PASSWORD)];
                let response = client
                    .post(format!("{}/api/login", users.base))
                    .header("Accept", "application/json")
                    .form(&form)
                    .send()
                    .await
                    .map_err(|e| PagesError::Http(format!("signing {username} in"), e))?;
                let status = response.status().as_u16();
                if status != 200 {
                    let body = response.text().await.unwrap_or_default();
                    return Err(PagesError::Refused {
                        what: format!("signing {username} in (the demo users, `hearth serve --demo`)"),
                        status,
                        body,
                    });
                }
                match role {
                    Role::CaseManager => users.case_managers.push(client),
                    _ => users.priority_list_managers.push(client),
                }
            }
        }
        Ok(users)
    }

    fn client(&self, role: Role, user: usize) -> &reqwest::Client {
        let signed_in = match role {
            Role::Anonymous => &[][..],
            Role::CaseManager => &self.case_managers[..],
            Role::PriorityListManager => &self.priority_list_managers[..],
        };
        signed_in
            .get(user % signed_in.len().max(1))
            .unwrap_or(&self.anonymous)
    }

    /// Makes one request; answers its status and body.
    pub async fn send(
        &self,
        role: Role,
        user: usize,
        request: &Request,
    ) -> Result<(u16, String), PagesError> {
        let client = self.client(role, user);
        let builder = match request {
            Request::Get(path) => client.get(format!("{}{path}", self.base)),
            Request::Post(endpoint, form) => client
                .post(format!("{}/api/{endpoint}", self.base))
                .header("Accept", "application/json")
                .form(form),
        };
        let response = builder
            .send()
            .await
            .map_err(|e| PagesError::Http(describe(request), e))?;
        let status = response.status().as_u16();
        let body = response
            .text()
            .await
            .map_err(|e| PagesError::Http(describe(request), e))?;
        Ok((status, body))
    }

    /// Makes one request that must succeed; answers its body.
    async fn ok(&self, role: Role, user: usize, request: &Request) -> Result<String, PagesError> {
        let (status, body) = self.send(role, user, request).await?;
        if status >= 400 {
            return Err(PagesError::Refused {
                what: describe(request),
                status,
                body: body.chars().take(300).collect(),
            });
        }
        Ok(body)
    }
}

/// A request named for a message (IDs only).
fn describe(request: &Request) -> String {
    match request {
        Request::Get(path) => format!("GET {path}"),
        Request::Post(endpoint, form) => {
            // IDs only: the draft and the step (never answers).
            let ids: Vec<String> = form
                .iter()
                .filter(|(k, _)| matches!(k.as_str(), "draft_id" | "step" | "intent" | "enrollment_id"))
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            format!("POST /api/{endpoint} ({})", ids.join(", "))
        }
    }
}

fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// An open household of the case manager's organization: its head's enrollment and
/// its members' personal IDs.
#[derive(Clone, Debug)]
pub struct Household {
    pub head_enrollment: String,
    pub members: Vec<String>,
}

/// What the walk works on, read from the database: clients the case manager may see,
/// open households of their organization (largest first), a project with open
/// enrollments.
#[derive(Clone, Debug)]
pub struct Sample {
    pub clients: Vec<String>,
    pub searches: Vec<String>,
    pub households: Vec<Household>,
    pub project_id: String,
    /// The exit date the walk's exits use.
    pub today: chrono::NaiveDate,
}

impl Sample {
    /// `clients` sample clients spread over the table; `households` open households.
    pub async fn read(state: &AppState, clients: usize, households: usize) -> Result<Sample, PagesError> {
        let db = &state.db;
        let backend = db.get_database_backend();
        let count = client_count(state).await?;
        let session = bench_session(state, Workgroup::CaseManager).await?;
        let organization_id = case_manager_organization(state).await?;
        let mut sample = Sample {
            clients: Vec::new(),
            searches: Vec::new(),
            households: Vec::new(),
            project_id: String::new(),
            today: state.today(),
        };
        for i in 0..clients as i64 {
            let offset = (count * i) / clients.max(1) as i64;
            let Some(row) = db
                .query_one_raw(statement(
                    backend,
                    "SELECT personal_id, first_name_key, last_name_key FROM clients \
                     ORDER BY personal_id LIMIT 1 OFFSET ?",
                    vec![offset.into()],
                ))
                .await?
            else {
                continue;
            };
            let personal_id: String = row.try_get("", "personal_id")?;
            if app::db::visibility::require_visible(db, &session, &personal_id)
                .await
                .is_err()
            {
                continue;
            }
            let three = |key: Option<String>| key.map(|k| k.chars().take(3).collect::<String>());
            if let (Some(first), Some(last)) = (
                three(row.try_get("", "first_name_key")?),
                three(row.try_get("", "last_name_key")?),
            ) {
                sample.searches.push(format!("{first} {last}"));
            }
            sample.clients.push(personal_id);
        }
        // Open households of the organization, largest first (no Coordinated Entry).
        let rows = db
            .query_all_raw(statement(
                backend,
                "SELECT e.household_id, COUNT(*) AS n FROM enrollments e \
                 JOIN projects p ON p.project_id = e.project_id \
                 WHERE p.organization_id = ? AND p.project_type <> 14 \
                 AND e.exit_date IS NULL AND e.date_deleted IS NULL \
                 GROUP BY e.household_id ORDER BY COUNT(*) DESC, e.household_id LIMIT ?",
                vec![organization_id.clone().into(), (households as i64 * 2).into()],
            ))
            .await?;
        for row in rows {
            let household_id: String = row.try_get("", "household_id")?;
            let members = db
                .query_all_raw(statement(
                    backend,
                    "SELECT enrollment_id, personal_id, relationship_to_hoh, project_id FROM enrollments \
                     WHERE household_id = ? AND exit_date IS NULL AND date_deleted IS NULL \
                     ORDER BY (CASE WHEN relationship_to_hoh = 1 THEN 0 ELSE 1 END), entry_date",
                    vec![household_id.into()],
                ))
                .await?;
            let Some(head) = members.first() else { continue };
            if head.try_get::<Option<i32>>("", "relationship_to_hoh")? != Some(1) {
                continue;
            }
            if sample.project_id.is_empty() {
                sample.project_id = head.try_get("", "project_id")?;
            }
            sample.households.push(Household {
                head_enrollment: head.try_get("", "enrollment_id")?,
                members: members
                    .iter()
                    .map(|m| m.try_get("", "personal_id"))
                    .collect::<Result<_, _>>()?,
            });
            if sample.households.len() == households {
                break;
            }
        }
        if sample.clients.is_empty() || sample.households.is_empty() {
            return Err(PagesError::Setup(
                "no clients or open households to walk: run `hearth demo-data` on the demo organizations first".into(),
            ));
        }
        Ok(sample)
    }
}

/// The demo case manager's organization.
async fn case_manager_organization(state: &AppState) -> Result<String, PagesError> {
    let db = &state.db;
    db.query_one_raw(statement(
        db.get_database_backend(),
        "SELECT a.organization_id FROM user_access a JOIN users u ON u.user_id = a.user_id \
         WHERE u.username = ? ORDER BY a.organization_id LIMIT 1",
        vec!["casemanager".into()],
    ))
    .await?
    .map(|row| row.try_get::<String>("", "organization_id"))
    .transpose()?
    .ok_or_else(|| {
        PagesError::Setup("the demo user casemanager is missing: `hearth serve --demo` makes it".into())
    })
}

/// The draft ID in a workflow address (`/workflows/<id>/<step>`).
fn draft_of(url_json: &str) -> Result<String, PagesError> {
    let url: String = serde_json::from_str(url_json)
        .map_err(|_| PagesError::Setup(format!("a workflow address was expected, not {url_json}")))?;
    url.trim_start_matches("/workflows/")
        .split('/')
        .next()
        .filter(|d| !d.is_empty())
        .map(str::to_string)
        .ok_or_else(|| PagesError::Setup(format!("a workflow address was expected, not {url}")))
}

/// An exit workflow in progress: its draft and the household it exits.
#[derive(Clone, Debug)]
pub struct ExitDraft {
    pub draft_id: String,
    pub household: Household,
}

/// The walk over the pages: the sample, the users, the exit drafts started for it.
pub struct Walk {
    pub users: Users,
    pub sample: Sample,
    pub drafts: Vec<ExitDraft>,
}

impl Walk {
    /// Signs users in and starts an exit workflow (filled in up to the members' steps)
    /// on `drafts` households — what a case manager has open while paging through it.
    pub async fn prepare(
        base: &str,
        users: usize,
        sample: Sample,
        drafts: usize,
    ) -> Result<Walk, PagesError> {
        let users = Users::sign_in(base, users).await?;
        let mut walk = Walk {
            users,
            sample,
            drafts: Vec::new(),
        };
        // Households whose records answer every question of the exit: "No Changes"
        // after "Default Last" is refused (rightly) for a member who, say, turned 18
        // since entry and was never asked about income; those drafts are discarded.
        let households: Vec<Household> = walk.sample.households.iter().take(2 * drafts).cloned().collect();
        for household in households {
            if walk.drafts.len() == drafts {
                break;
            }
            let draft_id = walk.start_exit(0, &household).await?;
            let draft = ExitDraft { draft_id, household };
            if walk.member_steps(0, &draft).await? {
                walk.drafts.push(draft);
            } else {
                walk.discard(0, &draft.draft_id).await?;
            }
        }
        Ok(walk)
    }

    /// Starts (or resumes) the exit of `household` and saves its first step: every
    /// member exits today to a rental without subsidy, "Completed program".
    async fn start_exit(&self, user: usize, household: &Household) -> Result<String, PagesError> {
        let url = self
            .users
            .ok(
                Role::CaseManager,
                user,
                &Request::Post(
                    "start_workflow",
                    form(&[("enrollment_id", &household.head_enrollment), ("kind", "exit")]),
                ),
            )
            .await?;
        let draft_id = draft_of(&url)?;
        let mut answers = form(&[
            ("draft_id", &draft_id),
            ("step", "exit"),
            ("intent", "save"),
            ("answers[exit_date]", &self.sample.today.to_string()),
            ("answers[destination]", "410"),
            ("answers[reason]", "exitreason0000000000000000000003"),
        ]);
        for member in &household.members {
            answers.push((format!("answers[exit_{member}]"), "yes".into()));
        }
        self.users
            .ok(
                Role::CaseManager,
                user,
                &Request::Post("save_workflow_step", answers),
            )
            .await?;
        Ok(draft_id)
    }

    /// The pages measured, each with its requests.
    pub fn pages(&self) -> Vec<Page> {
        let s = &self.sample;
        let mut pages = vec![
            Page {
                name: if self.users.static_path == "/healthz" {
                    "Health check, no database (baseline)"
                } else {
                    "Static file (baseline)"
                },
                role: Role::Anonymous,
                requests: vec![Request::Get(self.users.static_path.clone())],
            },
            Page {
                name: "Client dashboard",
                role: Role::CaseManager,
                requests: s
                    .clients
                    .iter()
                    .map(|id| Request::Get(format!("/clients/{id}")))
                    .collect(),
            },
            Page {
                name: "Client search results",
                role: Role::CaseManager,
                requests: s
                    .searches
                    .iter()
                    .map(|q| Request::Get(format!("/clients?q={}", q.replace(' ', "+"))))
                    .collect(),
            },
            Page {
                name: "Priority list, first page",
                role: Role::PriorityListManager,
                requests: vec![Request::Get("/coordinated-entry".into())],
            },
            Page {
                name: "Annual Assessment Tool, one project",
                role: Role::CaseManager,
                requests: vec![Request::Get(format!(
                    "/annual-assessments?project_id={}",
                    s.project_id
                ))],
            },
            Page {
                name: "Annual Assessment Tool, my case assignments",
                role: Role::CaseManager,
                requests: vec![Request::Get("/annual-assessments?mine=yes".into())],
            },
            Page {
                name: "Home page (case manager)",
                role: Role::CaseManager,
                requests: vec![Request::Get("/".into())],
            },
        ];
        let step =
            |draft: &ExitDraft, step: &str| Request::Get(format!("/workflows/{}/{step}", draft.draft_id));
        pages.push(Page {
            name: "Exit workflow: exit step page",
            role: Role::CaseManager,
            requests: self.drafts.iter().map(|d| step(d, "exit")).collect(),
        });
        let members = |request: &dyn Fn(&ExitDraft, &str) -> Request| -> Vec<Request> {
            self.drafts
                .iter()
                .flat_map(|d| d.household.members.iter().map(move |m| request(d, m)))
                .collect()
        };
        let intent = |d: &ExitDraft, member: &str, intent: &str| {
            Request::Post(
                "save_workflow_step",
                form(&[
                    ("draft_id", &d.draft_id),
                    ("step", &format!("exit-{member}")),
                    ("intent", intent),
                ]),
            )
        };
        pages.push(Page {
            name: "Exit workflow: member step page",
            role: Role::CaseManager,
            requests: members(&|d, m| step(d, &format!("exit-{m}"))),
        });
        pages.push(Page {
            name: "Exit workflow: Default Last",
            role: Role::CaseManager,
            requests: members(&|d, m| intent(d, m, "default_last")),
        });
        pages.push(Page {
            name: "Exit workflow: No Changes",
            role: Role::CaseManager,
            requests: members(&|d, m| intent(d, m, "no_changes")),
        });
        pages.push(Page {
            name: "Exit workflow: review page",
            role: Role::CaseManager,
            requests: self.drafts.iter().map(|d| step(d, "review")).collect(),
        });
        pages.retain(|p| !p.requests.is_empty());
        pages
    }

    /// Every request of every page once, as one user: what the query-plan test records
    /// (the static file, which reads no database, aside).
    pub async fn once(&self) -> Result<(), PagesError> {
        for page in self.pages().into_iter().filter(|p| p.role != Role::Anonymous) {
            for request in &page.requests {
                self.users.ok(page.role, 0, request).await?;
            }
        }
        Ok(())
    }

    /// A household's whole exit, as a case manager walks it: start, the exit step,
    /// each member's step (page, Default Last, No Changes), the review page, Finish.
    /// Answers the server time of the whole walk and of Finish; `None` (the draft
    /// discarded) when a member's records leave a question unanswered.
    pub async fn exit_household(
        &self,
        user: usize,
        household: &Household,
    ) -> Result<Option<(Duration, Duration)>, PagesError> {
        let started = Instant::now();
        let draft_id = self.start_exit(user, household).await?;
        let draft = ExitDraft {
            draft_id: draft_id.clone(),
            household: household.clone(),
        };
        let get = |step: &str| Request::Get(format!("/workflows/{draft_id}/{step}"));
        self.users.ok(Role::CaseManager, user, &get("exit")).await?;
        if !self.member_steps(user, &draft).await? {
            self.discard(user, &draft_id).await?;
            return Ok(None);
        }
        self.users.ok(Role::CaseManager, user, &get("review")).await?;
        let finish_started = Instant::now();
        self.users
            .ok(
                Role::CaseManager,
                user,
                &Request::Post("finish_workflow", form(&[("draft_id", &draft_id)])),
            )
            .await?;
        let finish = finish_started.elapsed();
        Ok(Some((started.elapsed(), finish)))
    }

    /// Each member's step as a case manager taps through it: the page, "Default Last",
    /// "No Changes". Answers false when "No Changes" is refused (422: the latest
    /// records leave a question the exit asks unanswered).
    async fn member_steps(&self, user: usize, draft: &ExitDraft) -> Result<bool, PagesError> {
        for member in &draft.household.members {
            let name = format!("exit-{member}");
            let page = Request::Get(format!("/workflows/{}/{name}", draft.draft_id));
            self.users.ok(Role::CaseManager, user, &page).await?;
            for intent in ["default_last", "no_changes"] {
                let request = Request::Post(
                    "save_workflow_step",
                    form(&[("draft_id", &draft.draft_id), ("step", &name), ("intent", intent)]),
                );
                let (status, body) = self.users.send(Role::CaseManager, user, &request).await?;
                match status {
                    200..=399 => {}
                    422 if intent == "no_changes" => return Ok(false),
                    _ => {
                        return Err(PagesError::Refused {
                            what: describe(&request),
                            status,
                            body: body.chars().take(300).collect(),
                        });
                    }
                }
            }
        }
        Ok(true)
    }

    /// Throws a draft away.
    async fn discard(&self, user: usize, draft_id: &str) -> Result<(), PagesError> {
        let request = Request::Post("discard_workflow", form(&[("draft_id", draft_id)]));
        self.users.ok(Role::CaseManager, user, &request).await.map(|_| ())
    }
}

/// One page at one level of concurrency.
#[derive(Clone, Debug)]
pub struct Measure {
    pub page: &'static str,
    pub users: usize,
    pub requests: usize,
    pub errors: usize,
    pub rps: f64,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
    /// The first failure seen (status and the start of its body).
    pub first_error: Option<String>,
}

/// Makes `total` requests of `page` with `users` users at once.
pub async fn load(walk: Arc<Walk>, page: Page, users: usize, total: usize) -> Measure {
    let next = Arc::new(AtomicUsize::new(0));
    let page = Arc::new(page);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(users);
    for user in 0..users {
        let (walk, page, next) = (walk.clone(), page.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut errors = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let request = &page.requests[i % page.requests.len()];
                let t = Instant::now();
                let outcome = walk.users.send(page.role, user, request).await;
                times.push(t.elapsed());
                match outcome {
                    Ok((status, _)) if status < 400 => {}
                    Ok((status, body)) => {
                        errors.push(format!("{status} {}", body.chars().take(200).collect::<String>()))
                    }
                    Err(e) => errors.push(e.to_string()),
                }
            }
            (times, errors)
        }));
    }
    let mut times = Vec::with_capacity(total);
    let mut errors = Vec::new();
    for task in tasks {
        if let Ok((t, e)) = task.await {
            times.extend(t);
            errors.extend(e);
        }
    }
    let elapsed = started.elapsed();
    times.sort();
    let at = |q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    Measure {
        page: page.name,
        users,
        requests: times.len(),
        errors: errors.len(),
        rps: times.len() as f64 / elapsed.as_secs_f64().max(1e-9),
        p50: at(0.5),
        p99: at(0.99),
        max: times.last().copied().unwrap_or_default(),
        first_error: errors.into_iter().next(),
    }
}

/// Whole household exits, one after another.
#[derive(Clone, Debug, Default)]
pub struct Exits {
    pub households: usize,
    pub members: usize,
    pub walk_p50: Duration,
    pub walk_max: Duration,
    pub finish_p50: Duration,
    pub finish_max: Duration,
}

/// The report of `hearth bench pages`.
#[derive(Clone, Debug)]
pub struct Report {
    pub backend: &'static str,
    pub clients: i64,
    pub measures: Vec<Measure>,
    pub exits: Option<Exits>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Pages over HTTP on {} with {} clients",
            self.backend, self.clients
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "| Page | Users | Requests | Errors | rps | p50 | p99 | max | % of static rps |"
        )?;
        writeln!(f, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")?;
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
        for m in &self.measures {
            let baseline = self
                .measures
                .iter()
                .find(|b| b.users == m.users && b.page == self.measures[0].page)
                .map(|b| b.rps)
                .unwrap_or(m.rps);
            writeln!(
                f,
                "| {} | {} | {} | {} | {:.0} | {} | {} | {} | {:.1} % |",
                m.page,
                m.users,
                m.requests,
                m.errors,
                m.rps,
                ms(m.p50),
                ms(m.p99),
                ms(m.max),
                100.0 * m.rps / baseline.max(1e-9)
            )?;
        }
        for m in &self.measures {
            if let Some(e) = &m.first_error {
                writeln!(f, "\nFirst error of {} at {} users: {e}", m.page, m.users)?;
            }
        }
        if let Some(x) = &self.exits {
            writeln!(f)?;
            writeln!(
                f,
                "Whole household exits ({} households, {} members; start, exit step, per member page + \
                 Default Last + No Changes, review, Finish), one at a time:",
                x.households, x.members
            )?;
            writeln!(
                f,
                "server time per household p50 {} (max {}); Finish p50 {} (max {})",
                ms(x.walk_p50),
                ms(x.walk_max),
                ms(x.finish_p50),
                ms(x.finish_max)
            )?;
        }
        Ok(())
    }
}

/// Runs the benchmark against the server at `base` (this database's).
pub async fn run(state: &AppState, base: &str, options: &Options) -> Result<Report, PagesError> {
    let clients = client_count(state).await?;
    let drafts = options.users.clamp(1, 32);
    // Twice the households needed: some are passed over (see `Walk::prepare`).
    let sample = Sample::read(state, 200, 2 * (drafts + options.exits)).await?;
    let exit_households: Vec<Household> = sample.households.iter().skip(2 * drafts).cloned().collect();
    let walk = Arc::new(Walk::prepare(base, options.users, sample, drafts).await?);
    let pages = walk.pages();
    // Warm up: every request once.
    walk.once().await?;
    let mut measures = Vec::new();
    for users in [1, options.users] {
        for page in &pages {
            measures.push(load(walk.clone(), page.clone(), users, options.requests).await);
        }
    }
    let exits = if options.exits > 0 {
        let mut walks = Vec::new();
        let mut finishes = Vec::new();
        let mut members = 0;
        for household in &exit_households {
            if walks.len() == options.exits {
                break;
            }
            if let Some((whole, finish)) = walk.exit_household(0, household).await? {
                walks.push(whole);
                finishes.push(finish);
                members += household.members.len();
            }
        }
        walks.sort();
        finishes.sort();
        Some(Exits {
            households: walks.len(),
            members,
            walk_p50: walks.get(walks.len() / 2).copied().unwrap_or_default(),
            walk_max: walks.last().copied().unwrap_or_default(),
            finish_p50: finishes.get(finishes.len() / 2).copied().unwrap_or_default(),
            finish_max: finishes.last().copied().unwrap_or_default(),
        })
    } else {
        None
    };
    Ok(Report {
        backend: app::db::backend_name(&state.db),
        clients,
        measures,
        exits,
    })
}
