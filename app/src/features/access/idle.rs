//! The idle watcher: warns a few minutes before the session ends for inactivity,
//! offers "Stay signed in", and leaves for the sign-in page when time is up. The
//! server enforces the timeout regardless; this only keeps the person informed.

use leptos::prelude::*;
use leptos::server::ServerAction;

use super::api::KeepAlive;
use crate::routes;
use crate::session::{SessionInfo, get_session};

/// Warn this long before the end: two minutes, or a third of a short timeout.
pub fn warning_seconds(idle_seconds: i64) -> i64 {
    (idle_seconds / 3).clamp(1, 120)
}

/// "m:ss" for a countdown.
pub fn countdown(seconds: i64) -> String {
    let seconds = seconds.max(0);
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

#[component]
pub fn IdleWatch(info: SessionInfo) -> impl IntoView {
    // Milliseconds (browser clock) at which the session ends; seconds left now.
    let deadline = RwSignal::new(0.0_f64);
    let left = RwSignal::new(info.seconds_left);
    let warn_at = warning_seconds(info.idle_seconds);
    let keep = ServerAction::<KeepAlive>::new();

    Effect::new(move |_| {
        deadline.set(now_ms() + info.seconds_left as f64 * 1000.0);
        let checking = StoredValue::new(false);
        set_interval(
            move || {
                let remaining = ((deadline.get_untracked() - now_ms()) / 1000.0).ceil() as i64;
                left.set(remaining);
                // At the warning and at the end, ask the server first: activity in
                // another tab may have kept the session alive.
                let due = remaining == warn_at || remaining <= 0;
                if due && !checking.get_value() {
                    checking.set_value(true);
                    leptos::task::spawn_local(async move {
                        match get_session().await {
                            Ok(Some(fresh)) if fresh.seconds_left > remaining.max(0) + 1 => {
                                deadline.set(now_ms() + fresh.seconds_left as f64 * 1000.0);
                            }
                            Ok(Some(_)) if remaining > 0 => {}
                            _ if remaining <= 0 => {
                                let _ = window()
                                    .location()
                                    .set_href(&format!("{}?reason=idle", routes::LOGIN));
                            }
                            _ => {}
                        }
                        checking.set_value(false);
                    });
                }
            },
            std::time::Duration::from_secs(1),
        );
    });
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = keep.value().get() {
            deadline.set(now_ms() + fresh.seconds_left as f64 * 1000.0);
            left.set(fresh.seconds_left);
        }
    });

    move || {
        let remaining = left.get();
        (remaining <= warn_at).then(|| {
            view! {
                <div class="idle-warning" role="alertdialog" aria-labelledby="idle-warning-text" data-testid="idle-warning">
                    <p id="idle-warning-text">
                        "For your clients' privacy you will be signed out in "
                        <strong>{countdown(remaining)}</strong>
                        " unless you continue."
                    </p>
                    <button type="button" class="button" on:click=move |_| { keep.dispatch(KeepAlive {}); }>
                        "Stay signed in"
                    </button>
                </div>
            }
        })
    }
}

#[cfg(feature = "hydrate")]
fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The watcher only runs in the browser; the server never calls this.
#[cfg(not(feature = "hydrate"))]
fn now_ms() -> f64 {
    0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_come_two_minutes_early_or_a_third_of_a_short_timeout() {
        assert_eq!(warning_seconds(1800), 120);
        assert_eq!(warning_seconds(30), 10);
        assert_eq!(warning_seconds(2), 1);
    }

    #[test]
    fn countdowns_read_like_a_clock() {
        assert_eq!(countdown(125), "2:05");
        assert_eq!(countdown(9), "0:09");
        assert_eq!(countdown(-3), "0:00");
    }
}
