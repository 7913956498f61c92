//! Server functions and DTOs of the client profile.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::codes::PRIOR_LIVING_SITUATION;
use crate::error::AppError;
use crate::ui::fields::{Answers, Choice, FieldKind, FieldSpec};

/// The kinds of profile record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProfileKind {
    ContactInformation,
    EmergencyContact,
    ResidenceHistory,
    OutreachInformation,
    Note,
}

/// How a column is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    Text(usize),
    Date,
    Code,
    Flag,
}

impl ProfileKind {
    pub const ALL: [ProfileKind; 5] = [
        ProfileKind::ContactInformation,
        ProfileKind::EmergencyContact,
        ProfileKind::ResidenceHistory,
        ProfileKind::OutreachInformation,
        ProfileKind::Note,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProfileKind::ContactInformation => "contact",
            ProfileKind::EmergencyContact => "emergency_contact",
            ProfileKind::ResidenceHistory => "residence",
            ProfileKind::OutreachInformation => "outreach",
            ProfileKind::Note => "note",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn title(self) -> &'static str {
        match self {
            ProfileKind::ContactInformation => "Contact information",
            ProfileKind::EmergencyContact => "Emergency contacts",
            ProfileKind::ResidenceHistory => "Residence history",
            ProfileKind::OutreachInformation => "Outreach information",
            ProfileKind::Note => "Client notes",
        }
    }

    /// (table, primary key column).
    pub fn table(self) -> (&'static str, &'static str) {
        match self {
            ProfileKind::ContactInformation => ("client_contacts", "client_contact_id"),
            ProfileKind::EmergencyContact => ("emergency_contacts", "emergency_contact_id"),
            ProfileKind::ResidenceHistory => ("residence_history", "residence_history_id"),
            ProfileKind::OutreachInformation => ("outreach_info", "outreach_info_id"),
            ProfileKind::Note => ("client_notes", "client_note_id"),
        }
    }

    /// Notes are read by every agency (except victim service providers' notes).
    pub fn shared(self) -> bool {
        self == ProfileKind::Note
    }

    /// The columns and their form fields.
    pub fn columns(self) -> Vec<(ColumnType, FieldSpec)> {
        use ColumnType::*;
        let text = |name: &str, label: &str, max: usize| {
            (
                Text(max),
                FieldSpec::new(
                    name,
                    label,
                    FieldKind::Text {
                        max_length: max as u32,
                    },
                ),
            )
        };
        let date = |name: &str, label: &str| (Date, FieldSpec::new(name, label, FieldKind::Date));
        let address = || {
            vec![
                text("address1", "Address", 100),
                text("address2", "Address line 2", 100),
                text("city", "City", 50),
                text("state", "State (2 letters)", 2),
                text("zip", "ZIP code", 10),
            ]
        };
        match self {
            ProfileKind::ContactInformation => {
                let mut c = vec![
                    text("phone", "Phone", 20),
                    text("alt_phone", "Other phone", 20),
                    text("email", "Email", 100),
                ];
                c.extend(address());
                c.push((
                    Text(20),
                    FieldSpec::new(
                        "preferred_contact",
                        "Preferred contact",
                        FieldKind::Select(
                            [
                                ("phone", "Phone call"),
                                ("text", "Text message"),
                                ("email", "Email"),
                                ("mail", "Mail"),
                                ("in_person", "In person"),
                            ]
                            .into_iter()
                            .map(|(v, l)| Choice {
                                value: v.into(),
                                label: l.into(),
                                group: None,
                            })
                            .collect(),
                        ),
                    ),
                ));
                c.push((
                    Flag,
                    FieldSpec::new(
                        "ok_to_leave_message",
                        "OK to leave a message",
                        FieldKind::Checkbox,
                    ),
                ));
                c
            }
            ProfileKind::EmergencyContact => {
                let mut name = text("name", "Name", 100);
                name.1 = name.1.required();
                vec![
                    name,
                    text("relationship", "Relationship", 50),
                    text("phone", "Phone", 20),
                    text("email", "Email", 100),
                    text("notes", "Notes", 500),
                ]
            }
            ProfileKind::ResidenceHistory => {
                let mut c = address();
                c.push((
                    Code,
                    FieldSpec::code("living_situation", "Type of residence", &PRIOR_LIVING_SITUATION),
                ));
                c.push(date("from_date", "From"));
                c.push(date("to_date", "To"));
                c.push(text("notes", "Notes", 500));
                c
            }
            ProfileKind::OutreachInformation => vec![
                text("last_known_location", "Last known location", 200),
                date("last_seen_date", "Last seen"),
                text("best_time_to_find", "Best time to find", 100),
                text("outreach_worker_notes", "Outreach worker notes", 1000),
            ],
            ProfileKind::Note => {
                let mut note_date = date("note_date", "Date");
                note_date.1 = note_date.1.required();
                let mut note = text("note", "Note", 4000);
                note.1 = note.1.required();
                vec![note_date, note]
            }
        }
    }
}

/// One record (current or replaced).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileRecord {
    pub record_id: String,
    /// (label, value) of the answered fields.
    pub lines: Vec<(String, String)>,
    /// The record as form answers (to prefill Edit).
    pub values: Answers,
    pub organization_name: String,
    pub recorded_by: Option<String>,
    pub recorded_at: DateTime<Utc>,
    /// The CoC date it was recorded on ("11/30/2026").
    pub recorded_on: String,
    /// Replaced by an edit (history) when set.
    pub replaced_at: Option<DateTime<Utc>>,
    /// `replaced_at` in the CoC's time zone, as people read it.
    pub replaced: Option<String>,
    pub editable: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileSection {
    pub kind: ProfileKind,
    pub records: Vec<ProfileRecord>,
    /// The client is in a street outreach project and has no outreach information.
    pub required_notice: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientProfile {
    pub personal_id: String,
    pub client_name: String,
    pub sections: Vec<ProfileSection>,
}

/// The client's profile records. The view is audited.
#[server(prefix = "/api", endpoint = "get_client_profile")]
pub async fn get_client_profile(personal_id: String) -> Result<ClientProfile, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::service::profile(&state, &session, &personal_id).await)
}

/// Adds a record (no `record_id`) or edits one (the earlier version stays as history).
#[server(prefix = "/api", endpoint = "save_profile_record")]
pub async fn save_profile_record(
    personal_id: String,
    kind: String,
    record_id: Option<String>,
    answers: Option<HashMap<String, String>>,
) -> Result<(), AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    let answers: Answers = answers.unwrap_or_default().into_iter().collect();
    let record_id = record_id.filter(|r| !r.is_empty());
    crate::state::respond(
        super::service::save(
            &state,
            &session,
            &personal_id,
            &kind,
            record_id.as_deref(),
            answers,
        )
        .await,
    )
}

/// The address of a client's profile.
pub fn profile_path(personal_id: &str) -> String {
    format!("/clients/{personal_id}/profile")
}
