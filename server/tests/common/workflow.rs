//! Walking workflows through the API as the pages do: start, save steps with
//! `answers[name]=value`, read a step back, and a whole household intake.

use app::db::entities::{enrollment, project};
use app::features::workflows::api::{StepBody, WorkflowView};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// The draft ID in a workflow address (`/workflows/<id>/<step>`).
pub fn draft_of(url: &str) -> String {
    url.trim_start_matches("/workflows/")
        .split('/')
        .next()
        .unwrap()
        .to_string()
}

pub async fn ok_url(response: reqwest::Response) -> String {
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

pub async fn start_new(app: &super::TestApp, who: &reqwest::Client, first: &str, last: &str) -> String {
    let url = ok_url(
        app.call_as(who, "start_intake", &[("first_name", first), ("last_name", last)])
            .await,
    )
    .await;
    assert!(url.ends_with("/household"), "{url}");
    draft_of(&url)
}

pub async fn view(app: &super::TestApp, who: &reqwest::Client, draft: &str, step: &str) -> WorkflowView {
    let response = app
        .call_as(who, "get_workflow", &[("draft_id", draft), ("step", step)])
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Posts a step as the page does: `answers[name]=value`.
pub async fn save(
    app: &super::TestApp,
    who: &reqwest::Client,
    draft: &str,
    step: &str,
    answers: &[(&str, &str)],
) -> reqwest::Response {
    let mut form: Vec<(String, String)> = vec![
        ("draft_id".into(), draft.into()),
        ("step".into(), step.into()),
        ("intent".into(), "save".into()),
    ];
    for (k, v) in answers {
        form.push((format!("answers[{k}]"), v.to_string()));
    }
    who.post(app.url("/api/save_workflow_step"))
        .header("Accept", "application/json")
        .form(&form)
        .send()
        .await
        .unwrap()
}

pub async fn saved(
    app: &super::TestApp,
    who: &reqwest::Client,
    draft: &str,
    step: &str,
    answers: &[(&str, &str)],
) {
    ok_url(save(app, who, draft, step, answers).await).await;
}

/// The member IDs of a draft, in household order.
pub async fn members(app: &super::TestApp, who: &reqwest::Client, draft: &str) -> Vec<String> {
    match view(app, who, draft, "household").await.step.body {
        StepBody::Household(members) => members.into_iter().map(|m| m.personal_id).collect(),
        other => panic!("household step expected, got {other:?}"),
    }
}

pub async fn project_id(app: &super::TestApp, name: &str) -> String {
    project::Entity::find()
        .filter(project::Column::ProjectName.eq(name))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{name}"))
        .project_id
}

pub const ADULT: &[(&str, &str)] = &[
    ("name_data_quality", "1"),
    ("ssn_data_quality", "99"),
    ("dob_data_quality", "1"),
    ("race_white", "yes"),
    ("sex", "1"),
    ("veteran_status", "0"),
];

pub fn client_answers<'a>(first: &'a str, last: &'a str, dob: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut a = vec![("first_name", first), ("last_name", last), ("dob", dob)];
    a.extend_from_slice(ADULT);
    a
}

/// A complete entry assessment for an adult: living situation, no income, SNAP,
/// Medicaid, no disabilities, no DV.
pub const ADULT_ENTRY: &[(&str, &str)] = &[
    ("living_situation", "116"),
    ("length_of_stay", "4"),
    ("disabling_condition", "0"),
    ("income_from_any_source", "1"),
    ("income_Earned", "850.50"),
    ("benefits_from_any_source", "1"),
    ("benefit_SNAP", "yes"),
    ("insurance_from_any_source", "1"),
    ("insurance_Medicaid", "yes"),
    ("disability_5", "0"),
    ("disability_6", "0"),
    ("disability_7", "0"),
    ("disability_8", "0"),
    ("disability_9", "0"),
    ("disability_10", "0"),
    ("domestic_violence_survivor", "0"),
];

pub const CHILD_ENTRY: &[(&str, &str)] = &[
    ("disabling_condition", "0"),
    ("insurance_from_any_source", "1"),
    ("insurance_SCHIP", "yes"),
    ("disability_5", "0"),
    ("disability_6", "0"),
    ("disability_7", "0"),
    ("disability_8", "0"),
    ("disability_9", "0"),
    ("disability_10", "0"),
];

/// Walks a whole intake of new clients (`people`: first, last, dob, relationship)
/// into `project`; returns the draft ID and member IDs, ready to finish.
pub async fn intake(
    app: &super::TestApp,
    who: &reqwest::Client,
    people: &[(&str, &str, &str, &str)],
    project: &str,
    entry_date: &str,
) -> (String, Vec<String>) {
    let (first, last, _, _) = people[0];
    let draft = start_new(app, who, first, last).await;
    for (first, last, _, _) in &people[1..] {
        ok_url(
            app.call_as(
                who,
                "add_household_member",
                &[("draft_id", &draft), ("first_name", first), ("last_name", last)],
            )
            .await,
        )
        .await;
    }
    let ids = members(app, who, &draft).await;
    let rels: Vec<(String, &str)> = ids
        .iter()
        .zip(people)
        .map(|(id, p)| (format!("rel_{id}"), p.3))
        .collect();
    let rel_refs: Vec<(&str, &str)> = rels.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    saved(app, who, &draft, "household", &rel_refs).await;
    let project = project_id(app, project).await;
    let mut enroll: Vec<(String, String)> = vec![
        ("project_id".into(), project),
        ("entry_date".into(), entry_date.into()),
        ("assign_to_me".into(), "yes".into()),
    ];
    for id in &ids {
        enroll.push((format!("enroll_{id}"), "yes".into()));
    }
    let enroll_refs: Vec<(&str, &str)> = enroll.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    saved(app, who, &draft, "enrollment", &enroll_refs).await;
    for (id, (first, last, dob, _)) in ids.iter().zip(people) {
        saved(
            app,
            who,
            &draft,
            &format!("client-{id}"),
            &client_answers(first, last, dob),
        )
        .await;
        let child = dob.starts_with("201") || dob.starts_with("202");
        saved(
            app,
            who,
            &draft,
            &format!("entry-{id}"),
            if child { CHILD_ENTRY } else { ADULT_ENTRY },
        )
        .await;
    }
    (draft, ids)
}

pub fn today(app: &super::TestApp) -> String {
    app.state.today().format("%Y-%m-%d").to_string()
}

pub async fn count<E>(app: &super::TestApp, _e: E) -> u64
where
    E: EntityTrait,
    E::Model: Sync,
{
    PaginatorTrait::count(E::find(), &app.db).await.unwrap()
}

/// A successful server function's JSON answer.
pub async fn ok_json<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> T {
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

pub fn days_ago(app: &super::TestApp, days: i64) -> String {
    (app.state.today() - chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

pub async fn enrollment_of(app: &super::TestApp, personal_id: &str) -> String {
    enrollment::Entity::find()
        .filter(enrollment::Column::PersonalId.eq(personal_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .enrollment_id
}

/// "Default Last" on a step, then "Save & Continue" with what it filled in — as a
/// case manager taps the two buttons.
pub async fn default_last_and_save(app: &super::TestApp, who: &reqwest::Client, draft: &str, step: &str) {
    let response = who
        .post(app.url("/api/save_workflow_step"))
        .header("Accept", "application/json")
        .form(&[("draft_id", draft), ("step", step), ("intent", "default_last")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    save_as_shown(app, who, draft, step).await;
}

/// "Save & Continue" with the values the page shows.
pub async fn save_as_shown(app: &super::TestApp, who: &reqwest::Client, draft: &str, step: &str) {
    let shown = shown(app, who, draft, step).await;
    let answers: Vec<(&str, &str)> = shown.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    saved(app, who, draft, step, &answers).await;
}

pub async fn shown(
    app: &super::TestApp,
    who: &reqwest::Client,
    draft: &str,
    step: &str,
) -> Vec<(String, String)> {
    let w: WorkflowView = view(app, who, draft, step).await;
    let StepBody::Form(fields) = w.step.body else {
        panic!("a form")
    };
    fields
        .into_iter()
        .filter(|f| !f.name.is_empty() && !f.value.is_empty())
        .map(|f| (f.name, f.value))
        .collect()
}

/// Starts a workflow on an enrollment (`exit`, `edit_exit`, `assessment`,
/// `edit_entry`) as the menu does; answers the address of its step.
pub async fn start_workflow(
    app: &super::TestApp,
    who: &reqwest::Client,
    enrollment: &str,
    kind: &str,
) -> String {
    ok_url(
        app.call_as(
            who,
            "start_workflow",
            &[("enrollment_id", enrollment), ("kind", kind)],
        )
        .await,
    )
    .await
}

/// "No Changes" on a step; answers the next step's address.
pub async fn no_changes(app: &super::TestApp, who: &reqwest::Client, draft: &str, step: &str) -> String {
    ok_url(
        who.post(app.url("/api/save_workflow_step"))
            .header("Accept", "application/json")
            .form(&[("draft_id", draft), ("step", step), ("intent", "no_changes")])
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// A refused request: its status, and its body saying `says`.
pub async fn refused(response: reqwest::Response, status: u16, says: &str) {
    let code = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert_eq!(code, status, "{body}");
    assert!(body.contains(says), "{says:?} not in {body}");
}
