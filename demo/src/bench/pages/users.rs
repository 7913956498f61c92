//! The walk's signed-in HTTP clients, one cookie jar per demo user, and how a request
//! is made and named.

use super::{PagesError, Request, Role};

/// The signed-in HTTP clients of the walk, one cookie jar per user.
pub struct Users {
    base: String,
    pub(super) static_path: String,
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
    /// Signs `n` sessions of each demo user in (password `accounts::DEMO_PASSWORD`).
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
                let form = [
                    ("username", username),
                    ("password", crate::accounts::DEMO_PASSWORD),
                ];
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

    pub(super) fn client(&self, role: Role, user: usize) -> &reqwest::Client {
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
    pub(super) async fn ok(&self, role: Role, user: usize, request: &Request) -> Result<String, PagesError> {
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
pub(super) fn describe(request: &Request) -> String {
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

pub(super) fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}
