//! Passwords: argon2id hashes on a blocking thread, the hash nobody can sign in with, the equal-time check of an unknown username, and changing a password.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use super::super::api::Next;
use crate::db::audit::{self, Event};
use crate::db::entities::{session, user};
use crate::domain::access::{self};
use crate::error::AppError;
use crate::routes;
use crate::session::CurrentSession;
use crate::state::AppState;

// ---------------------------------------------------------------------------
// Passwords

/// Hashes a password with argon2id on a blocking thread (it is slow on purpose).
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        use rand::RngCore as _;
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let salt = SaltString::encode_b64(&bytes)?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| internal("password hashing task", e))?
    .map_err(|e| internal("password hashing", e))
}

/// Checks a password against a stored hash on a blocking thread.
/// The stored "hash" of an account without a password (imported users, Hearth's
/// system user): nothing verifies against it.
pub const NO_PASSWORD: &str = "!";

pub(crate) async fn verify_password(password: String, hash: String) -> Result<bool, AppError> {
    if hash == NO_PASSWORD {
        return Ok(false);
    }
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(|e| e.to_string())?;
        Ok::<bool, String>(
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
        )
    })
    .await
    .map_err(|e| internal("password check task", e))?
    .map_err(|e| internal("stored password hash", e))
}

/// A hash of nothing in particular, verified when the username is unknown so that
/// "no such user" takes as long as "wrong password".
static DUMMY_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();

pub(super) async fn dummy_hash() -> Result<String, AppError> {
    if let Some(hash) = DUMMY_HASH.get() {
        return Ok(hash.clone());
    }
    let hash = hash_password("not-a-real-password-0".into()).await?;
    Ok(DUMMY_HASH.get_or_init(|| hash).clone())
}

pub(super) fn internal(what: &str, err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "{what} failed");
    AppError::Internal
}

// ---------------------------------------------------------------------------
// Passwords (change, reset) and ending sessions

pub async fn change_password(
    state: &AppState,
    current: &CurrentSession,
    current_password: &str,
    new_password: &str,
    confirm_password: &str,
) -> Result<Next, AppError> {
    let now = state.now();
    let Some(account) = user::Entity::find_by_id(current.user_id.clone())
        .one(&state.db)
        .await?
    else {
        return Err(AppError::Unauthorized);
    };
    if !verify_password(current_password.to_string(), account.password_hash.clone()).await? {
        return Err(AppError::field(
            "current_password",
            "That is not your current password.",
        ));
    }
    let problems = access::password_problems(new_password, &account.username);
    if !problems.is_empty() {
        return Err(AppError::field("new_password", problems.join(" ")));
    }
    if new_password == current_password {
        return Err(AppError::field(
            "new_password",
            "Choose a password different from the current one.",
        ));
    }
    if new_password != confirm_password {
        return Err(AppError::field(
            "confirm_password",
            "The two new passwords differ.",
        ));
    }
    let hash = hash_password(new_password.to_string()).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active = account.into_active_model();
    active.password_hash = Set(hash);
    active.must_change_password = Set(false);
    active.updated_at = Set(now);
    active.update(&txn).await?;
    // Signed out everywhere else: a changed password shuts out whoever knew the old one.
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(&current.user_id))
        .filter(session::Column::SessionId.ne(&current.session_id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        now,
        &current.actor(),
        Event::new("password_changed").on("user", &current.user_id),
    )
    .await?;
    txn.commit().await?;
    Ok(Next {
        path: routes::HOME.to_string(),
    })
}
