//! The walk over the pages people use all day, as the pages' own requests.

use std::time::{Duration, Instant};

use super::sample::{Household, Sample};
use super::users::{Users, describe, form};
use super::{Page, PagesError, Request, Role};

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
