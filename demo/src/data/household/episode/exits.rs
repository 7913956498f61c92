//! How an episode ends: the destination of a household moving on or leaving, and the
//! exit record with its local reason.

use app::domain::codes::{DestinationGroup, ProjectType};
use chrono::NaiveDate;

use super::Builder;
use crate::data::household::Exit;
use crate::data::household::tables::{
    DEST_CE, DEST_ES, DEST_HOUSED, DEST_HP, DEST_NBN, DEST_NOT_MOVED_IN, DEST_SO, DEST_TH,
    OTHER_DESTINATIONS, REASON_ADMIN, REASON_AUTO, REASON_COMPLETED, REASON_CRIMINAL, REASON_DEATH,
    REASON_DISAGREEMENT, REASON_HOUSING, REASON_MAX_TIME, REASON_NON_COMPLIANCE, REASON_OTHER,
    REASON_UNKNOWN, SUBSIDIES, as_destination,
};

impl Builder<'_> {
    /// Destination and subsidy when the household moves on to a project of `next`.
    pub(super) fn transition(&mut self, next: ProjectType) -> (i32, Option<i32>) {
        match next {
            ProjectType::EsEntryExit | ProjectType::EsNightByNight => (101, None),
            ProjectType::TransitionalHousing => (302, None),
            ProjectType::PhRapidReHousing => (435, Some(431)),
            ProjectType::PhPermanentSupportiveHousing => (435, Some(439)),
            ProjectType::StreetOutreach => (116, None),
            _ => (
                as_destination(self.situation.code),
                self.situation.subsidy.filter(|_| self.situation.code == 435),
            ),
        }
    }

    /// Destination and subsidy of a household's (or member's) last exit.
    pub(super) fn final_destination(&mut self, kind: ProjectType, moved_in: bool) -> (i32, Option<i32>) {
        let table = match kind {
            ProjectType::PhRapidReHousing | ProjectType::PhPermanentSupportiveHousing if moved_in => {
                DEST_HOUSED
            }
            ProjectType::PhRapidReHousing | ProjectType::PhPermanentSupportiveHousing => DEST_NOT_MOVED_IN,
            ProjectType::TransitionalHousing => DEST_TH,
            ProjectType::EsEntryExit => DEST_ES,
            ProjectType::EsNightByNight => DEST_NBN,
            ProjectType::StreetOutreach => DEST_SO,
            ProjectType::HomelessnessPrevention => DEST_HP,
            ProjectType::CoordinatedEntry => DEST_CE,
            _ => DEST_ES,
        };
        let destination = self.dice.weighted(table);
        let subsidy = (destination == 435).then(|| {
            if self.members[0].veteran_status == 1 && self.dice.chance(0.3) {
                419
            } else {
                self.dice.weighted(SUBSIDIES)
            }
        });
        (destination, subsidy)
    }

    pub(super) fn exit_record(
        &mut self,
        kind: ProjectType,
        date: NaiveDate,
        destination: i32,
        subsidy_type: Option<i32>,
        moving_on: bool,
    ) -> Exit {
        let outreach_like = matches!(
            kind,
            ProjectType::StreetOutreach
                | ProjectType::EsNightByNight
                | ProjectType::CoordinatedEntry
                | ProjectType::ServicesOnly
        );
        let (reason, method) = if moving_on {
            (
                if self.dice.chance(0.5) {
                    REASON_COMPLETED
                } else {
                    REASON_HOUSING
                },
                "manual",
            )
        } else {
            match destination {
                30 if self.dice.chance(0.05) => (REASON_ADMIN, "admin"),
                30 if outreach_like && self.dice.chance(0.7) => (REASON_AUTO, "auto"),
                30 => (REASON_UNKNOWN, "manual"),
                24 => (REASON_DEATH, "manual"),
                207 => (REASON_CRIMINAL, "manual"),
                8 | 9 | 99 | 17 => (REASON_OTHER, "manual"),
                code => match app::domain::codes::destination_group(code) {
                    Some(DestinationGroup::Permanent) => (
                        if self.dice.chance(0.6) {
                            REASON_COMPLETED
                        } else {
                            REASON_HOUSING
                        },
                        "manual",
                    ),
                    Some(DestinationGroup::Homeless) => (
                        self.dice.pick(&[
                            REASON_NON_COMPLIANCE,
                            REASON_DISAGREEMENT,
                            REASON_UNKNOWN,
                            REASON_MAX_TIME,
                        ]),
                        "manual",
                    ),
                    Some(DestinationGroup::Temporary) => (
                        self.dice
                            .pick(&[REASON_HOUSING, REASON_OTHER, REASON_DISAGREEMENT]),
                        "manual",
                    ),
                    _ => (REASON_OTHER, "manual"),
                },
            }
        };
        Exit {
            date,
            destination,
            subsidy_type,
            other_destination: (destination == 17).then(|| self.dice.pick(OTHER_DESTINATIONS)),
            exit_reason_id: reason,
            exit_method: method,
            entered_late: self.entered_late(date),
        }
    }
}
