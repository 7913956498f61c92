//! Sign-in attempts counted per address and per account before any password or code is checked, each in one conditional statement, so parallel guesses are serialized by the database.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Set};

use crate::db::audit::{self, Actor, Event};
use crate::db::entities::{session, sign_in_limit, user};
use crate::domain::access::{self};
use crate::error::AppError;
use crate::session::RequestInfo;
use crate::state::AppState;

use super::*;

/// Counts a sign-in attempt from the request's address before any password or code is
/// checked, and refuses (and audits) it when the address has used up its window. Three
/// single statements, each atomic on both databases: the address's row is made if
/// missing, a window that ended starts again, and the attempt is counted only while the
/// window has room — so parallel guesses cannot all pass a count read before any of them
/// is written. A right password or code gives its attempt back (`release_address`).
/// Returns the address counted, if the request has one.
pub(super) async fn admit_from_address(
    state: &AppState,
    request: &RequestInfo,
    actor: &Actor,
) -> Result<Option<String>, AppError> {
    let Some(ip) = request.ip.as_deref() else {
        return Ok(None);
    };
    let ip: String = ip.chars().take(64).collect();
    let now = state.now();
    sign_in_limit::Entity::insert(sign_in_limit::ActiveModel {
        ip: Set(ip.clone()),
        window_start: Set(now),
        attempts: Set(0),
    })
    .on_conflict_do_nothing()
    .exec_without_returning(&state.db)
    .await?;
    sign_in_limit::Entity::update_many()
        .col_expr(sign_in_limit::Column::Attempts, Expr::value(0))
        .col_expr(sign_in_limit::Column::WindowStart, Expr::value(now))
        .filter(sign_in_limit::Column::Ip.eq(&ip))
        .filter(sign_in_limit::Column::WindowStart.lte(access::ip_window_start(now)))
        .exec(&state.db)
        .await?;
    let max = i32::try_from(state.security.login_ip_max_failures).unwrap_or(i32::MAX);
    let admitted = sign_in_limit::Entity::update_many()
        .col_expr(
            sign_in_limit::Column::Attempts,
            Expr::col(sign_in_limit::Column::Attempts).add(1),
        )
        .filter(sign_in_limit::Column::Ip.eq(&ip))
        .filter(sign_in_limit::Column::Attempts.lt(max))
        .exec(&state.db)
        .await?;
    if admitted.rows_affected == 1 {
        return Ok(Some(ip));
    }
    audit::record(&state.db, now, actor, Event::new("login_rate_limited")).await?;
    Err(AppError::RateLimited(format!(
        "Too many failed sign-ins from this network. Wait {} minutes, then try again.",
        access::LOGIN_IP_WINDOW_MINUTES
    )))
}

/// Gives back the attempt of a right password or code: only failures use up an
/// address's window.
pub(super) async fn release_address(state: &AppState, ip: Option<&str>) -> Result<(), AppError> {
    let Some(ip) = ip else {
        return Ok(());
    };
    sign_in_limit::Entity::update_many()
        .col_expr(
            sign_in_limit::Column::Attempts,
            Expr::col(sign_in_limit::Column::Attempts).sub(1),
        )
        .filter(sign_in_limit::Column::Ip.eq(ip))
        .filter(sign_in_limit::Column::Attempts.gt(0))
        .exec(&state.db)
        .await?;
    Ok(())
}

/// Counts a password or code check on `account` before it is made, in one statement
/// that also applies `access::admits_attempt`: parallel guesses are counted one after
/// another by the database, so no more than `MAX_FAILED_LOGINS` are ever checked before
/// the lock. Refuses (and audits) when the account is locked or its count is full.
pub(super) async fn admit_attempt(
    state: &AppState,
    account: &user::Model,
    actor: &Actor,
) -> Result<(), AppError> {
    let now = state.now();
    let admitted = user::Entity::update_many()
        .col_expr(
            user::Column::FailedLogins,
            Expr::col(user::Column::FailedLogins).add(1),
        )
        .filter(user::Column::UserId.eq(&account.user_id))
        .filter(user::Column::FailedLogins.lt(access::MAX_FAILED_LOGINS))
        .filter(
            Condition::any()
                .add(user::Column::LockedUntil.is_null())
                .add(user::Column::LockedUntil.lte(now)),
        )
        .exec(&state.db)
        .await?;
    if admitted.rows_affected == 1 {
        return Ok(());
    }
    audit::record(&state.db, now, actor, Event::new("login_refused_locked")).await?;
    Err(AppError::Conflict(locked_message()))
}

/// Takes back the count of a check that succeeded but does not sign in yet (a right
/// password still waiting for its authenticator code).
pub(super) async fn release_attempt(state: &AppState, account: &user::Model) -> Result<(), AppError> {
    user::Entity::update_many()
        .col_expr(
            user::Column::FailedLogins,
            Expr::col(user::Column::FailedLogins).sub(1),
        )
        .filter(user::Column::UserId.eq(&account.user_id))
        .filter(user::Column::FailedLogins.gt(0))
        .exec(&state.db)
        .await?;
    Ok(())
}

/// Records a failed password or code for `account` (its attempt is already counted by
/// `admit_attempt`); the failure that finds the count full locks the account, in one
/// statement, so of parallel failures exactly one locks it. Returns the error to show.
pub(super) async fn fail_sign_in(
    state: &AppState,
    account: &user::Model,
    actor: &Actor,
    action: &str,
    detail: &str,
    shown: AppError,
) -> Result<AppError, AppError> {
    let now = state.now();
    audit::record(&state.db, now, actor, Event::new(action).detail(detail)).await?;
    let locked = user::Entity::update_many()
        .col_expr(user::Column::FailedLogins, Expr::value(0))
        .col_expr(
            user::Column::LockedUntil,
            Expr::value(Some(access::locked_until(now))),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::UserId.eq(&account.user_id))
        .filter(user::Column::FailedLogins.gte(access::MAX_FAILED_LOGINS))
        .exec(&state.db)
        .await?;
    if locked.rows_affected == 1 {
        // A locked account keeps no half-finished sign-in.
        session::Entity::delete_many()
            .filter(session::Column::UserId.eq(&account.user_id))
            .filter(session::Column::PendingSecondFactor.eq(true))
            .exec(&state.db)
            .await?;
        audit::record(&state.db, now, actor, Event::new("account_locked")).await?;
        return Ok(AppError::Conflict(locked_message()));
    }
    Ok(shown)
}
