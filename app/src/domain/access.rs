//! Access rules: workgroups, password policy, lockout, session lifetime, back date.
//! HUD's HMIS technical standards (2004, §4.3) ask for unique user IDs, passwords of
//! at least 8 characters that are not easily guessed, automatic log-off when idle.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What a user does in an organization. A user acts in one (organization, workgroup)
/// at a time, chosen from their access rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Workgroup {
    CaseManager,
    CeAssessor,
    PriorityListManager,
    Supervisor,
    AgencyAdmin,
    HmisAdmin,
}

/// The workgroups that do case work on client records in their organization: intake,
/// services, contacts, the client profile (HMIS admins may as well).
pub const CASE_WORK: &[Workgroup] = &[
    Workgroup::CaseManager,
    Workgroup::Supervisor,
    Workgroup::AgencyAdmin,
    Workgroup::CeAssessor,
    Workgroup::PriorityListManager,
];

impl Workgroup {
    pub const ALL: [Workgroup; 6] = [
        Workgroup::CaseManager,
        Workgroup::CeAssessor,
        Workgroup::PriorityListManager,
        Workgroup::Supervisor,
        Workgroup::AgencyAdmin,
        Workgroup::HmisAdmin,
    ];

    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Workgroup::CaseManager => "case_manager",
            Workgroup::CeAssessor => "ce_assessor",
            Workgroup::PriorityListManager => "priority_list_manager",
            Workgroup::Supervisor => "supervisor",
            Workgroup::AgencyAdmin => "agency_admin",
            Workgroup::HmisAdmin => "hmis_admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Workgroup::CaseManager => "Case Manager",
            Workgroup::CeAssessor => "CE Assessor",
            Workgroup::PriorityListManager => "Priority List Manager",
            Workgroup::Supervisor => "Supervisor",
            Workgroup::AgencyAdmin => "Agency Admin",
            Workgroup::HmisAdmin => "HMIS Admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Workgroup> {
        Workgroup::ALL.into_iter().find(|w| w.code() == code)
    }
}

/// Failed sign-ins in a row that lock an account.
pub const MAX_FAILED_LOGINS: i32 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT_MINUTES: i64 = 15;
/// Minimum password length (HUD technical standards: at least 8).
pub const MIN_PASSWORD_LEN: usize = 8;

/// Common passwords refused outright (lower-case; compared case-insensitively).
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Why a new password is refused, as one message per problem. Empty means acceptable.
pub fn password_problems(password: &str, username: &str) -> Vec<&'static str> {
    let mut problems = Vec::new();
    if password.chars().count() < MIN_PASSWORD_LEN {
        problems.push("Use at least 8 characters.");
    }
    if !password.chars().any(|c| c.is_alphabetic()) || !password.chars().any(|c| c.is_ascii_digit()) {
        problems.push("Use at least one letter and one number.");
    }
    let lower = password.to_lowercase();
    let user = username.trim().to_lowercase();
    if !user.is_empty() && lower.contains(&user) {
        problems.push("Do not use your username in your password.");
    }
    if ["hmis", "hearth"].iter().any(|word| lower.contains(word)) {
        problems.push("Do not use the name of the system in your password.");
    }
    if COMMON_PASSWORDS.lines().any(|common| common.trim() == lower) {
        problems.push("That password is too common; choose another.");
    }
    problems
}

/// Whether one more password or code may be checked for an account with `counted`
/// attempts counted (failures, and checks still under way): not while it is locked, and
/// not once `MAX_FAILED_LOGINS` are counted. The database applies the same rule in the
/// one statement that counts the attempt, so parallel guesses cannot overtake it.
pub fn admits_attempt(counted: i32, locked_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    !is_locked(locked_until, now) && counted < MAX_FAILED_LOGINS
}

/// Whether a failed check that leaves `counted` attempts counted locks the account (for
/// `LOCKOUT_MINUTES`, and the count starts again).
pub fn locks_account(counted: i32) -> bool {
    counted >= MAX_FAILED_LOGINS
}

/// Until when a lock that starts at `now` lasts.
pub fn locked_until(now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::minutes(LOCKOUT_MINUTES)
}

/// Whether an agency admin of `organization_id` may see a user with `access` (pairs
/// of organization ID and workgroup code) and manage their access there: the user works
/// in that organization and is not an HMIS admin.
pub fn agency_admin_may_see(organization_id: &str, access: &[(&str, &str)]) -> bool {
    access.iter().any(|(org, _)| *org == organization_id)
        && !access.iter().any(|(_, wg)| *wg == Workgroup::HmisAdmin.code())
}

/// Whether an agency admin of `organization_id` may act on the account of a user with
/// `access` (password, enabled, sessions, two-step sign-in): only when every access the
/// user has is in that organization. Taking over an account reaches every organization
/// it works for, so a user who also works elsewhere is the HMIS admin's.
pub fn agency_admin_may_manage_account(organization_id: &str, access: &[(&str, &str)]) -> bool {
    agency_admin_may_see(organization_id, access) && access.iter().all(|(org, _)| *org == organization_id)
}

pub fn is_locked(locked_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    locked_until.is_some_and(|until| now < until)
}

/// How long sessions live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Signed out after this long without a request.
    pub idle: Duration,
    /// Signed out this long after sign-in, however active.
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: Duration::minutes(30),
            absolute: Duration::hours(12),
        }
    }
}

impl SessionPolicy {
    /// Whether a session signed in at `created_at` and last used at `last_seen_at`
    /// is still valid at `now`.
    pub fn is_alive(
        &self,
        created_at: DateTime<Utc>,
        last_seen_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> bool {
        now < last_seen_at + self.idle && now < created_at + self.absolute
    }

    /// When the session ends if nothing else happens.
    pub fn expires_at(&self, created_at: DateTime<Utc>, last_seen_at: DateTime<Utc>) -> DateTime<Utc> {
        (last_seen_at + self.idle).min(created_at + self.absolute)
    }
}

/// Back Date mode: a date in the past (or today) that becomes the default of every
/// data-entry date field until cleared.
pub fn check_back_date(date: NaiveDate, today: NaiveDate) -> Result<(), &'static str> {
    if date > today {
        Err("The back date cannot be in the future.")
    } else {
        Ok(())
    }
}

/// Initials shown on the header button: first letters of the first two words.
pub fn initials(full_name: &str) -> String {
    let letters: String = full_name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect::<String>();
    if letters.is_empty() {
        "?".to_string()
    } else {
        letters.to_uppercase()
    }
}

/// Failed sign-ins (wrong password or code, unknown user) allowed by default from one
/// address in [`LOGIN_IP_WINDOW_MINUTES`] before that address must wait: this slows
/// guessing across many accounts, which the per-account lockout alone does not. (An
/// office whose staff share one public address may need more: it is configurable.)
pub const LOGIN_IP_MAX_FAILURES: u64 = 20;
pub const LOGIN_IP_WINDOW_MINUTES: i64 = 10;

/// The start of the window the per-address limit counts failures in.
pub fn ip_window_start(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::minutes(LOGIN_IP_WINDOW_MINUTES)
}

/// The client's address: the socket peer, or behind a trusted proxy the last entry of
/// `X-Forwarded-For` (the one the proxy appended; earlier ones are the client's word).
pub fn client_ip(peer: Option<&str>, forwarded_for: Option<&str>, trust_proxy: bool) -> Option<String> {
    if trust_proxy
        && let Some(last) = forwarded_for
            .and_then(|list| list.rsplit(',').next())
            .map(str::trim)
            .filter(|ip| !ip.is_empty() && ip.parse::<std::net::IpAddr>().is_ok())
    {
        return Some(last.to_string());
    }
    peer.map(str::to_string)
}

/// How long a password-checked sign-in may wait for its authenticator code.
pub const SECOND_FACTOR_MINUTES: i64 = 5;

/// Whether a sign-in waiting for its code since `started` has run out of time.
pub fn second_factor_expired(started: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - started > Duration::minutes(SECOND_FACTOR_MINUTES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, h, m, 0).unwrap()
    }

    #[test]
    fn an_agency_admin_manages_only_accounts_wholly_in_their_organization() {
        let cm = Workgroup::CaseManager.code();
        let admin = Workgroup::HmisAdmin.code();
        let own = [("riverside", cm)];
        assert!(agency_admin_may_see("riverside", &own));
        assert!(agency_admin_may_manage_account("riverside", &own));
        let both = [("riverside", cm), ("northside", cm)];
        assert!(agency_admin_may_see("riverside", &both));
        assert!(!agency_admin_may_manage_account("riverside", &both));
        let elsewhere = [("northside", cm)];
        assert!(!agency_admin_may_see("riverside", &elsewhere));
        assert!(!agency_admin_may_manage_account("riverside", &elsewhere));
        let hmis = [("riverside", admin)];
        assert!(!agency_admin_may_see("riverside", &hmis));
        assert!(!agency_admin_may_manage_account("riverside", &hmis));
        assert!(!agency_admin_may_manage_account("riverside", &[]));
    }

    #[test]
    fn workgroup_codes_round_trip() {
        for w in Workgroup::ALL {
            assert_eq!(Workgroup::from_code(w.code()), Some(w));
        }
        assert_eq!(Workgroup::from_code("root"), None);
    }

    #[test]
    fn password_policy() {
        assert!(password_problems("Riverbend42", "jsmith").is_empty());
        assert!(password_problems("short1", "jsmith").contains(&"Use at least 8 characters."));
        assert!(
            password_problems("onlyletters", "jsmith").contains(&"Use at least one letter and one number.")
        );
        assert!(
            password_problems("jsmith2026x", "JSmith")
                .contains(&"Do not use your username in your password.")
        );
        assert!(!password_problems("Hmis2026abc", "x").is_empty());
        assert!(
            password_problems("Password1", "x").contains(&"That password is too common; choose another.")
        );
    }

    #[test]
    fn the_fifth_failure_locks_for_fifteen_minutes() {
        let now = at(10, 0);
        let mut counted = 0;
        for _ in 0..4 {
            assert!(admits_attempt(counted, None, now));
            counted += 1;
            assert!(!locks_account(counted));
        }
        assert!(admits_attempt(counted, None, now));
        counted += 1;
        assert!(locks_account(counted));
        assert!(
            !admits_attempt(counted, None, now),
            "a sixth check waits for the lock"
        );
        let until = locked_until(now);
        assert_eq!(until, at(10, 15));
        assert!(!admits_attempt(0, Some(until), at(10, 14)));
        assert!(admits_attempt(0, Some(until), at(10, 15)));
    }

    #[test]
    fn sessions_end_when_idle_or_too_old() {
        let policy = SessionPolicy::default();
        assert!(policy.is_alive(at(8, 0), at(9, 0), at(9, 29)));
        assert!(!policy.is_alive(at(8, 0), at(9, 0), at(9, 30)));
        let created = at(0, 0);
        assert!(
            !policy.is_alive(created, at(11, 59), at(12, 0)),
            "12 hours is the limit"
        );
        assert_eq!(policy.expires_at(created, at(11, 50)), at(12, 0));
    }

    #[test]
    fn back_dates_are_not_in_the_future() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert!(check_back_date(today, today).is_ok());
        assert!(check_back_date(today.pred_opt().unwrap(), today).is_ok());
        assert!(check_back_date(today.succ_opt().unwrap(), today).is_err());
    }

    #[test]
    fn initials_of_names() {
        assert_eq!(initials("Maria de la Cruz"), "MD");
        assert_eq!(initials("ana"), "A");
        assert_eq!(initials("  "), "?");
    }

    proptest! {
        #[test]
        fn a_session_alive_later_was_alive_earlier(idle in 1i64..120, created_min in 0i64..600, seen_after in 0i64..600, a in 0i64..1500, b in 0i64..1500) {
            let policy = SessionPolicy { idle: Duration::minutes(idle), absolute: Duration::hours(12) };
            let created = at(0, 0) + Duration::minutes(created_min);
            let seen = created + Duration::minutes(seen_after);
            let (early, late) = (seen + Duration::minutes(a.min(b)), seen + Duration::minutes(a.max(b)));
            if policy.is_alive(created, seen, late) {
                prop_assert!(policy.is_alive(created, seen, early));
            }
        }

        #[test]
        fn long_enough_mixed_passwords_without_the_username_pass(word in "[a-z]{6,12}", digits in "[0-9]{2,4}") {
            let password = format!("{word}{digits}Q");
            let problems = password_problems(&password, "zz_nobody");
            let common = COMMON_PASSWORDS.lines().any(|c| c.trim() == password.to_lowercase());
            let system = password.contains("hmis") || password.contains("hearth");
            prop_assert_eq!(problems.is_empty(), !common && !system, "{:?}", problems);
        }
    }

    #[test]
    fn twenty_failures_from_one_address_in_ten_minutes_are_refused() {
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
        assert_eq!(now - ip_window_start(now), Duration::minutes(10));
    }

    #[test]
    fn the_client_address_comes_from_the_proxy_only_when_trusted() {
        let peer = Some("10.0.0.2");
        let header = Some("203.0.113.9, 198.51.100.7");
        assert_eq!(client_ip(peer, header, false).as_deref(), Some("10.0.0.2"));
        assert_eq!(client_ip(peer, header, true).as_deref(), Some("198.51.100.7"));
        assert_eq!(
            client_ip(peer, Some("garbage"), true).as_deref(),
            Some("10.0.0.2")
        );
        assert_eq!(client_ip(peer, None, true).as_deref(), Some("10.0.0.2"));
        assert_eq!(client_ip(None, None, true), None);
    }

    #[test]
    fn a_pending_code_expires_after_five_minutes() {
        let start = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
        assert!(!second_factor_expired(start, start + Duration::minutes(5)));
        assert!(second_factor_expired(
            start,
            start + Duration::minutes(5) + Duration::seconds(1)
        ));
    }
}
