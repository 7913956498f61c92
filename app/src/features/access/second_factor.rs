//! Two-step sign-in: a TOTP code (RFC 6238: 6 digits, 30 s, SHA-1 — what every
//! authenticator app speaks) after the password. The seed is sealed with the data key
//! (a stolen database does not give it away), shown once as a QR code and as text for
//! enrolment, and confirmed with a code before it counts.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use totp_rs::{Algorithm, Builder, Secret, Totp};

use super::api::{Next, TotpEnrollment};
use crate::db::audit::{self, Event};
use crate::db::entities::user;
use crate::error::AppError;
use crate::routes;
use crate::session::CurrentSession;
use crate::state::AppState;

pub const WRONG_CODE: &str = "That code is not right. Enter the newest code from your authenticator app (and check your device's clock is set automatically).";
const ISSUER: &str = "Hearth";
/// 160 bits, as RFC 4226 recommends.
const SEED_BYTES: usize = 20;

/// The sealing context of a seed column: a seed copied to another user does not open.
pub fn seal_context(column: &str, user_id: &str) -> String {
    format!("users.{column}:{user_id}")
}

fn totp(seed: Vec<u8>, username: &str) -> Result<Totp, AppError> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(seed)
        .with_issuer(Some(ISSUER))
        .with_account_name(username.replace(':', "_"))
        .build()
        .map_err(|e| internal("building the authenticator", e))
}

fn internal(what: &str, err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "{what} failed");
    AppError::Internal
}

fn open_seed(state: &AppState, sealed: &str, column: &str, user_id: &str) -> Result<Vec<u8>, AppError> {
    state
        .data_key
        .open(sealed, &seal_context(column, user_id))
        .map_err(|e| {
            internal(
                "opening an authenticator seed (is the data key the one it was sealed with?)",
                e,
            )
        })
}

fn unix_seconds(at: DateTime<Utc>) -> u64 {
    u64::try_from(at.timestamp()).unwrap_or(0)
}

/// The 30-second step `code` is valid for (±1 step for clock drift), if it is valid
/// and newer than the last step used: a code works once.
fn valid_step(totp: &Totp, code: &str, now: DateTime<Utc>, last_step: Option<i64>) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let step = i64::try_from(totp.check(&code, unix_seconds(now))?).ok()?;
    (last_step.is_none_or(|last| step > last)).then_some(step)
}

/// Checks a sign-in code against the user's enrolled seed.
pub fn check_login_code(
    state: &AppState,
    account: &user::Model,
    code: &str,
) -> Result<Option<i64>, AppError> {
    let Some(sealed) = &account.totp_secret else {
        return Ok(None);
    };
    let seed = open_seed(state, sealed, "totp_secret", &account.user_id)?;
    Ok(valid_step(
        &totp(seed, &account.username)?,
        code,
        state.now(),
        account.totp_last_step,
    ))
}

async fn account_of(state: &AppState, current: &CurrentSession) -> Result<user::Model, AppError> {
    user::Entity::find_by_id(current.user_id.clone())
        .one(&state.db)
        .await?
        .ok_or(AppError::Unauthorized)
}

/// Starts enrolment: a new seed (or the unconfirmed one), shown as a QR code and as
/// text. Nothing changes at sign-in until it is confirmed with a code.
pub async fn start_enrollment(
    state: &AppState,
    current: &CurrentSession,
) -> Result<TotpEnrollment, AppError> {
    use rand::RngCore as _;
    let account = account_of(state, current).await?;
    if account.totp_secret.is_some() {
        return Err(AppError::Conflict("Two-step sign-in is already on.".into()));
    }
    // An unconfirmed seed is shown again (a wrong code re-renders this page without
    // JavaScript: the app the user just set up must keep working).
    let seed = match &account.totp_pending_secret {
        Some(sealed) => open_seed(state, sealed, "totp_pending_secret", &account.user_id)?,
        None => {
            let mut seed = vec![0u8; SEED_BYTES];
            rand::rng().fill_bytes(&mut seed);
            let sealed = state
                .data_key
                .seal(&seed, &seal_context("totp_pending_secret", &account.user_id));
            // Only if there is still none: two page loads at once (a double click, a
            // prefetch) must not show two different keys.
            let stored = user::Entity::update_many()
                .col_expr(user::Column::TotpPendingSecret, Expr::value(sealed))
                .col_expr(user::Column::UpdatedAt, Expr::value(state.now()))
                .filter(user::Column::UserId.eq(&account.user_id))
                .filter(user::Column::TotpPendingSecret.is_null())
                .exec(&state.db)
                .await?;
            if stored.rows_affected == 1 {
                seed
            } else {
                let winner = account_of(state, current)
                    .await?
                    .totp_pending_secret
                    .ok_or(AppError::Conflict("Start again: reload this page.".into()))?;
                open_seed(state, &winner, "totp_pending_secret", &account.user_id)?
            }
        }
    };
    let totp = totp(seed.clone(), &account.username)?;
    let url = totp.to_url().map_err(|e| internal("authenticator URL", e))?;
    let secret = Secret::from(seed).to_base32();
    Ok(TotpEnrollment {
        secret: group_in_fours(&secret),
        qr_svg: qr_svg(&url)?,
        otpauth_url: url,
    })
}

/// Confirms enrolment with a code from the app: from now on sign-in asks for one.
pub async fn confirm_enrollment(
    state: &AppState,
    current: &CurrentSession,
    code: &str,
) -> Result<Next, AppError> {
    let now = state.now();
    let account = account_of(state, current).await?;
    let Some(pending) = &account.totp_pending_secret else {
        return Err(AppError::Conflict(
            "Start again: open the two-step sign-in page to get a new QR code.".into(),
        ));
    };
    let seed = open_seed(state, pending, "totp_pending_secret", &account.user_id)?;
    let Some(step) = valid_step(&totp(seed.clone(), &account.username)?, code, now, None) else {
        return Err(AppError::field("code", WRONG_CODE));
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active = account.clone().into_active_model();
    active.totp_secret = Set(Some(
        state
            .data_key
            .seal(&seed, &seal_context("totp_secret", &account.user_id)),
    ));
    active.totp_pending_secret = Set(None);
    active.totp_enabled_at = Set(Some(now));
    active.totp_last_step = Set(Some(step));
    active.updated_at = Set(now);
    active.update(&txn).await?;
    audit::record(
        &txn,
        now,
        &current.actor(),
        Event::new("second_factor_enabled").on("user", &account.user_id),
    )
    .await?;
    txn.commit().await?;
    Ok(Next {
        path: routes::SETTINGS.to_string(),
    })
}

/// Turns two-step sign-in off for the signed-in user, who proves it is them with
/// their password.
pub async fn turn_off(state: &AppState, current: &CurrentSession, password: &str) -> Result<Next, AppError> {
    let account = account_of(state, current).await?;
    if !super::service::verify_password(password.to_string(), account.password_hash.clone()).await? {
        return Err(AppError::field("password", "That is not your current password."));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    clear(&txn, account, state.now()).await?;
    audit::record(
        &txn,
        state.now(),
        &current.actor(),
        Event::new("second_factor_disabled").on("user", &current.user_id),
    )
    .await?;
    txn.commit().await?;
    Ok(Next {
        path: routes::SETTINGS.to_string(),
    })
}

/// Removes a user's enrolled and pending seeds (the user's own choice, or an
/// administrator's when the phone is lost). The caller audits.
pub async fn clear(
    db: &impl ConnectionTrait,
    account: user::Model,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut active = account.into_active_model();
    active.totp_secret = Set(None);
    active.totp_pending_secret = Set(None);
    active.totp_enabled_at = Set(None);
    active.totp_last_step = Set(None);
    active.updated_at = Set(now);
    active.update(db).await?;
    Ok(())
}

/// `ABCDEFGH…` as `ABCD EFGH …`, easier to type into an app by hand.
fn group_in_fours(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The enrolment URL as an SVG QR code (markup only: no script, no external image).
fn qr_svg(url: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(|e| internal("drawing the QR code", e))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // Inline in HTML the XML declaration is noise.
    Ok(match svg.find("<svg") {
        Some(start) => svg[start..].to_string(),
        None => svg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_code_is_valid_for_its_step_and_one_either_side_and_only_once() {
        let totp = totp(vec![7u8; SEED_BYTES], "casemanager").unwrap();
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
        let code = totp.generate(unix_seconds(at)).to_string();
        let step = valid_step(&totp, &code, at, None).expect("current code");
        assert_eq!(
            valid_step(&totp, &code, at + chrono::Duration::seconds(30), None),
            Some(step)
        );
        assert_eq!(
            valid_step(&totp, &code, at + chrono::Duration::seconds(90), None),
            None
        );
        assert_eq!(
            valid_step(&totp, &code, at, Some(step)),
            None,
            "a used code is refused"
        );
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(valid_step(&totp, &spaced, at, None), Some(step));
        assert_eq!(valid_step(&totp, "000000x", at, None), None);
    }

    #[test]
    fn enrolment_shows_a_qr_code_and_a_typeable_secret() {
        assert_eq!(group_in_fours("ABCDEFGHIJ"), "ABCD EFGH IJ");
        let svg = qr_svg("otpauth://totp/Hearth:casemanager?secret=ABC&issuer=Hearth").unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(!svg.contains("<script"));
    }
}
