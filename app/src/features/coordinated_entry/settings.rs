//! The CoC's Coordinated Entry settings: which workgroups may exit CE enrollments
//! (each CoC decides; by default priority list managers and HMIS admins). Kept in the
//! `settings` table so every server enforces the same choice.

use super::api::CeExitSetting;
use crate::db::audit::{self, Event};
use crate::db::settings::{self, CE_EXIT_WORKGROUPS, ce_exiters};
use crate::domain::access::Workgroup;
use crate::domain::enrollment::{CE_EXITER_CHOICES, ce_exit_refused};
use crate::error::AppError;
use crate::session::CurrentSession;
use crate::state::AppState;

/// The setting as the admin page shows it. HMIS admins only.
pub async fn get(state: &AppState, admin: &CurrentSession) -> Result<CeExitSetting, AppError> {
    admin.require_workgroup(&[Workgroup::HmisAdmin])?;
    let allowed = ce_exiters(&state.db).await?;
    Ok(CeExitSetting {
        message: ce_exit_refused(&allowed),
        allowed,
        choices: CE_EXITER_CHOICES.to_vec(),
    })
}

/// Saves the workgroups (codes) that may exit CE enrollments (audited). HMIS admins
/// only; at least one, each a known workgroup.
pub async fn save(state: &AppState, admin: &CurrentSession, codes: &[String]) -> Result<(), AppError> {
    admin.require_workgroup(&[Workgroup::HmisAdmin])?;
    let mut chosen = Vec::new();
    for code in codes {
        match Workgroup::from_code(code) {
            Some(w) if CE_EXITER_CHOICES.contains(&w) => chosen.push(w),
            _ => {
                return Err(AppError::field(
                    "workgroups",
                    "Choose from the workgroups listed.",
                ));
            }
        }
    }
    if chosen.is_empty() {
        return Err(AppError::field(
            "workgroups",
            "Choose at least one workgroup: someone must be able to exit CE enrollments.",
        ));
    }
    // Listed in the usual order, whatever order they were ticked in.
    let ordered: Vec<Workgroup> = CE_EXITER_CHOICES
        .into_iter()
        .filter(|w| chosen.contains(w))
        .collect();
    let value = ordered.iter().map(|w| w.code()).collect::<Vec<_>>().join(",");
    let now = state.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let before = ce_exiters(&txn).await?;
    settings::set(&txn, CE_EXIT_WORKGROUPS, &value, now).await?;
    let names = |list: &[Workgroup]| list.iter().map(|w| w.code()).collect::<Vec<_>>().join(",");
    audit::record(
        &txn,
        now,
        &admin.actor(),
        Event::new("settings.ce_exit_workgroups").detail(format!("{} -> {value}", names(&before))),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
