//! Auto-exit and auto-alert: a project's households that stopped coming leave it on
//! their own. A household's last activity is the latest project start date, service or
//! contact (4.12 Current Living Situation) of any open member; once it is `exit_days`
//! old the whole household exits on that date (for a night-by-night shelter, the day
//! after the last bed night), and from `alert_days` on the case manager is warned.

use chrono::{Days, NaiveDate};

use super::codes::ProjectType;

/// The shortest auto-exit or auto-alert period a project may set.
pub const MIN_DAYS: i32 = 30;
/// 3.12 Destination 30 "No exit interview completed".
pub const NO_EXIT_INTERVIEW: i32 = 30;
/// `exits.exit_method` of an exit the sweep wrote.
pub const EXIT_METHOD_AUTO: &str = "auto";
/// `exits.exit_method` of an administrative exit.
pub const EXIT_METHOD_ADMIN: &str = "admin";

/// A project's inactivity periods, in days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setting {
    pub exit_days: i32,
    pub alert_days: Option<i32>,
}

/// The periods suggested for a project type, where HUD practice has one: services
/// only and other 90/80 days, street outreach 365/300 days.
pub fn suggested(project_type: ProjectType) -> Option<Setting> {
    let (exit_days, alert) = match project_type {
        ProjectType::ServicesOnly | ProjectType::Other => (90, 80),
        ProjectType::StreetOutreach => (365, 300),
        _ => return None,
    };
    Some(Setting {
        exit_days,
        alert_days: Some(alert),
    })
}

/// Whether a project type may auto-exit: Coordinated Entry enrollments leave the
/// priority list only by a priority list manager's exit.
pub fn allowed(project_type: ProjectType) -> bool {
    project_type != ProjectType::CoordinatedEntry
}

/// What one open member of a household has on record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemberActivity {
    pub entry_date: NaiveDate,
    /// The latest service other than a bed night.
    pub last_service: Option<NaiveDate>,
    /// The latest 4.14 bed night.
    pub last_bed_night: Option<NaiveDate>,
    /// The latest 4.12 Current Living Situation.
    pub last_contact: Option<NaiveDate>,
}

impl MemberActivity {
    fn dates(&self) -> impl Iterator<Item = NaiveDate> {
        [
            Some(self.entry_date),
            self.last_service,
            self.last_bed_night,
            self.last_contact,
        ]
        .into_iter()
        .flatten()
    }
}

/// The household's last activity: the latest date any member has on record (None
/// for no members).
pub fn last_activity(members: &[MemberActivity]) -> Option<NaiveDate> {
    members.iter().flat_map(MemberActivity::dates).max()
}

/// The exit date of every member: the last activity, or in a night-by-night shelter
/// the morning after the last bed night when that is later.
pub fn exit_date(members: &[MemberActivity], night_by_night: bool) -> Option<NaiveDate> {
    let last = last_activity(members)?;
    let morning_after = members
        .iter()
        .filter(|_| night_by_night)
        .filter_map(|m| m.last_bed_night)
        .max()
        .and_then(|night| night.checked_add_days(Days::new(1)));
    Some(morning_after.map_or(last, |m| m.max(last)))
}

/// Where a household stands on `today`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    Active,
    /// Past the alert age: the case manager is warned.
    Alert,
    /// Past the exit age: the sweep exits it.
    Due,
}

/// Days since the last activity (0 on the day itself).
pub fn days_inactive(last_activity: NaiveDate, today: NaiveDate) -> i64 {
    (today - last_activity).num_days()
}

pub fn standing(last_activity: NaiveDate, today: NaiveDate, setting: Setting) -> Standing {
    let days = days_inactive(last_activity, today);
    if days >= i64::from(setting.exit_days) {
        Standing::Due
    } else if setting.alert_days.is_some_and(|alert| days >= i64::from(alert)) {
        Standing::Alert
    } else {
        Standing::Active
    }
}

/// The latest last-activity date that is due on `today`: households whose head
/// started after it cannot be due (a cheap first filter on an index).
pub fn due_cutoff(today: NaiveDate, exit_days: i32) -> NaiveDate {
    today
        .checked_sub_days(Days::new(u64::try_from(exit_days).unwrap_or(0)))
        .unwrap_or(NaiveDate::MIN)
}

/// Days without activity an administrative-exit search may ask for.
pub const ADMIN_DAYS: std::ops::RangeInclusive<i32> = 1..=3650;

/// Why a household cannot take the exit date an HMIS admin chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChosenDateRefusal {
    /// A member started after the chosen date.
    BeforeStart(NaiveDate),
    /// A service, bed night or contact is recorded after the chosen date.
    BeforeActivity(NaiveDate),
    InFuture,
}

impl std::fmt::Display for ChosenDateRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChosenDateRefusal::BeforeStart(d) => {
                write!(f, "the chosen date is before a member's project start ({d})")
            }
            ChosenDateRefusal::BeforeActivity(d) => {
                write!(
                    f,
                    "the chosen date is before the household's last service or contact ({d})"
                )
            }
            ChosenDateRefusal::InFuture => write!(f, "the chosen date is in the future"),
        }
    }
}

/// The exit date of an administrative exit: the household's exit date by its last
/// activity (as the sweep's), or the date the admin chose — which may not come before
/// any member's start or recorded activity (nothing may be left after an exit), nor
/// after `today`.
pub fn admin_exit_date(
    members: &[MemberActivity],
    night_by_night: bool,
    chosen: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<Result<NaiveDate, ChosenDateRefusal>> {
    let by_activity = exit_date(members, night_by_night)?;
    let Some(chosen) = chosen else {
        return Some(Ok(by_activity.min(today)));
    };
    let latest_start = members.iter().map(|m| m.entry_date).max()?;
    let last = last_activity(members)?;
    Some(if chosen > today {
        Err(ChosenDateRefusal::InFuture)
    } else if chosen < latest_start {
        Err(ChosenDateRefusal::BeforeStart(latest_start))
    } else if chosen < last {
        Err(ChosenDateRefusal::BeforeActivity(last))
    } else {
        Ok(chosen)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn member(entry: NaiveDate) -> MemberActivity {
        MemberActivity {
            entry_date: entry,
            last_service: None,
            last_bed_night: None,
            last_contact: None,
        }
    }

    #[test]
    fn suggestions_follow_the_project_type() {
        assert_eq!(
            suggested(ProjectType::ServicesOnly),
            Some(Setting {
                exit_days: 90,
                alert_days: Some(80)
            })
        );
        assert_eq!(suggested(ProjectType::Other).map(|s| s.exit_days), Some(90));
        assert_eq!(
            suggested(ProjectType::StreetOutreach),
            Some(Setting {
                exit_days: 365,
                alert_days: Some(300)
            })
        );
        assert_eq!(suggested(ProjectType::PhRapidReHousing), None);
        assert!(!allowed(ProjectType::CoordinatedEntry));
        assert!(allowed(ProjectType::StreetOutreach));
    }

    #[test]
    fn the_household_leaves_on_its_latest_activity() {
        let head = MemberActivity {
            last_service: Some(day(2026, 3, 1)),
            ..member(day(2026, 1, 5))
        };
        let child = MemberActivity {
            last_contact: Some(day(2026, 4, 2)),
            ..member(day(2026, 1, 5))
        };
        assert_eq!(last_activity(&[head, child]), Some(day(2026, 4, 2)));
        assert_eq!(exit_date(&[head, child], false), Some(day(2026, 4, 2)));
        // No service or contact: the start date.
        assert_eq!(
            exit_date(&[member(day(2026, 1, 5))], false),
            Some(day(2026, 1, 5))
        );
        assert_eq!(exit_date(&[], false), None);
    }

    #[test]
    fn night_by_night_exits_the_morning_after_the_last_bed_night() {
        let sleeper = MemberActivity {
            last_bed_night: Some(day(2026, 2, 28)),
            ..member(day(2026, 2, 1))
        };
        assert_eq!(exit_date(&[sleeper], true), Some(day(2026, 3, 1)));
        assert_eq!(exit_date(&[sleeper], false), Some(day(2026, 2, 28)));
        // A contact after the last night wins.
        let seen = MemberActivity {
            last_contact: Some(day(2026, 3, 10)),
            ..sleeper
        };
        assert_eq!(exit_date(&[seen], true), Some(day(2026, 3, 10)));
    }

    #[test]
    fn standing_counts_whole_days() {
        let setting = Setting {
            exit_days: 90,
            alert_days: Some(80),
        };
        let last = day(2026, 1, 1);
        assert_eq!(standing(last, day(2026, 3, 21), setting), Standing::Active); // 79 days
        assert_eq!(standing(last, day(2026, 3, 22), setting), Standing::Alert); // 80
        assert_eq!(standing(last, day(2026, 3, 31), setting), Standing::Alert); // 89
        assert_eq!(standing(last, day(2026, 4, 1), setting), Standing::Due); // 90
        let no_alert = Setting {
            alert_days: None,
            ..setting
        };
        assert_eq!(standing(last, day(2026, 3, 31), no_alert), Standing::Active);
        assert_eq!(due_cutoff(day(2026, 4, 1), 90), last);
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0i64..4000).prop_map(|d| day(2020, 1, 1) + chrono::Duration::days(d))
    }

    fn any_member() -> impl Strategy<Value = MemberActivity> {
        (
            any_date(),
            proptest::option::of(0i64..400),
            proptest::option::of(0i64..400),
            proptest::option::of(0i64..400),
        )
            .prop_map(|(entry, s, b, c)| {
                let after = |d: Option<i64>| d.map(|d| entry + chrono::Duration::days(d));
                MemberActivity {
                    entry_date: entry,
                    last_service: after(s),
                    last_bed_night: after(b),
                    last_contact: after(c),
                }
            })
    }

    proptest! {
        /// No member exits before their own start date, every member exits on the same
        /// date whatever order they are listed in, and the date is the last activity or
        /// (night by night) at most the morning after it.
        #[test]
        fn exit_dates_fit_every_member(
            members in proptest::collection::vec(any_member(), 1..6),
            nbn in any::<bool>(),
        ) {
            let on = exit_date(&members, nbn).expect("members");
            let last = last_activity(&members).expect("members");
            for m in &members {
                prop_assert!(on >= m.entry_date);
            }
            let mut reversed = members.clone();
            reversed.reverse();
            prop_assert_eq!(exit_date(&reversed, nbn), Some(on));
            prop_assert!(on >= last);
            prop_assert!((on - last).num_days() <= i64::from(nbn));
        }

        /// Standing never goes back as days pass, and a due household's exit date is
        /// in the past.
        #[test]
        fn standing_only_advances(
            last in any_date(),
            exit_days in MIN_DAYS..400,
            alert_gap in 1i32..60,
            a in 0i64..800,
            b in 0i64..800,
        ) {
            let setting = Setting {
                exit_days,
                alert_days: Some((exit_days - alert_gap).max(MIN_DAYS.min(exit_days - 1))),
            };
            let (early, late) = (last + chrono::Duration::days(a.min(b)), last + chrono::Duration::days(a.max(b)));
            prop_assert!(standing(last, early, setting) <= standing(last, late, setting));
            if standing(last, late, setting) == Standing::Due {
                prop_assert!(last <= due_cutoff(late, exit_days));
                prop_assert!(last + chrono::Duration::days(1) < late);
            }
        }

        /// An administrative exit date never precedes a member's start or the
        /// household's last activity and is never after today; a chosen date is taken
        /// exactly when it fits.
        #[test]
        fn admin_exit_dates_leave_nothing_after_the_exit(
            members in proptest::collection::vec(any_member(), 1..6),
            nbn in any::<bool>(),
            chosen_offset in proptest::option::of(-500i64..500),
            today_offset in 0i64..900,
        ) {
            let last = last_activity(&members).expect("members");
            let today = last + chrono::Duration::days(today_offset);
            let chosen = chosen_offset.map(|d| last + chrono::Duration::days(d));
            let answer = admin_exit_date(&members, nbn, chosen, today).expect("members");
            match (chosen, answer) {
                (_, Ok(on)) => {
                    prop_assert!(on <= today);
                    prop_assert!(on >= last);
                    for m in &members {
                        prop_assert!(on >= m.entry_date);
                    }
                    if let Some(c) = chosen {
                        prop_assert_eq!(on, c);
                    }
                }
                (Some(c), Err(ChosenDateRefusal::InFuture)) => prop_assert!(c > today),
                (Some(c), Err(ChosenDateRefusal::BeforeStart(start))) => prop_assert!(c < start),
                (Some(c), Err(ChosenDateRefusal::BeforeActivity(at))) => {
                    prop_assert!(c < at);
                    prop_assert_eq!(at, last);
                }
                (None, Err(e)) => prop_assert!(false, "refused without a chosen date: {}", e),
            }
        }
    }

    #[test]
    fn a_chosen_admin_exit_date_is_checked() {
        let mut m = member(day(2026, 1, 10));
        m.last_service = Some(day(2026, 3, 1));
        let today = day(2026, 11, 30);
        assert_eq!(
            admin_exit_date(&[m], false, None, today),
            Some(Ok(day(2026, 3, 1)))
        );
        assert_eq!(
            admin_exit_date(&[m], false, Some(day(2026, 6, 30)), today),
            Some(Ok(day(2026, 6, 30)))
        );
        assert_eq!(
            admin_exit_date(&[m], false, Some(day(2026, 2, 1)), today),
            Some(Err(ChosenDateRefusal::BeforeActivity(day(2026, 3, 1))))
        );
        assert_eq!(
            admin_exit_date(&[m], false, Some(day(2026, 12, 1)), today),
            Some(Err(ChosenDateRefusal::InFuture))
        );
        assert_eq!(admin_exit_date(&[], false, None, today), None);
    }
}
