//! What happens during a stay: income drift, employment, services, street contacts,
//! a services-only household's check-ins, coordinated-entry assessments and events,
//! when records were entered, and who takes the case.

use app::domain::codes::{DestinationGroup, ProjectType};
use chrono::NaiveDate;

use super::Builder;
use crate::data::dice::Dice;
use crate::data::household::Plant;
use crate::data::household::compose::Plan;
use crate::data::household::records::cents;
use crate::data::household::records::takes_referral_result;
use crate::data::household::tables::as_destination;
use crate::data::household::tables::{
    CE_LOCATIONS, CHECK_IN_CONTACTS, DEST_DIVERTED, MOVING_ON_OTHER, STREET_CONTACTS, STREET_LOCATIONS,
};
use crate::data::household::{
    CeAssessment, CeEvent, Contact, EARNED, Employment, Exit, PriorLiving, Service, add_days, days_between,
};

impl Builder<'_> {
    /// Income changes over a stay: a job found with probability `job_chance`, a source
    /// lost now and then.
    pub(super) fn drift(&mut self, m: usize, job_chance: f64) {
        let dice = &mut self.dice;
        let finances = &mut self.profiles[m].finances;
        if finances.income_from_any_source.is_none() {
            return;
        }
        if finances.income_cents[EARNED] == 0 && dice.chance(job_chance) {
            finances.income_cents[EARNED] = cents(dice, 600, 2800);
        } else if finances.income_cents[EARNED] > 0 && dice.chance(0.05) {
            finances.income_cents[EARNED] = 0;
        }
        if matches!(finances.income_from_any_source, Some(0 | 1)) {
            let any = finances.income_cents.iter().any(|c| *c > 0);
            finances.income_from_any_source = Some(i32::from(any));
        }
    }

    pub(super) fn employment(&mut self, m: usize) -> Employment {
        let dice = &mut self.dice;
        let profile = &self.profiles[m];
        let employed = if dice.chance(0.015) {
            dice.pick(&[8, 9, 99])
        } else {
            i32::from(profile.finances.income_cents[EARNED] > 0)
        };
        let disabled = profile.disabilities.disabling_condition() == 1;
        Employment {
            last_grade_completed: profile.education.0,
            school_status: profile.education.1,
            employed,
            employment_type: (employed == 1).then(|| dice.weighted(&[(1, 30), (2, 45), (3, 25)])),
            not_employed_reason: (employed == 0).then(|| {
                if disabled {
                    dice.weighted(&[(1, 25), (2, 60), (3, 15)])
                } else {
                    dice.weighted(&[(1, 60), (2, 15), (3, 25)])
                }
            }),
        }
    }

    pub(super) fn services(
        &mut self,
        kind: ProjectType,
        m: usize,
        entry: NaiveDate,
        exit: Option<NaiveDate>,
        move_in: Option<NaiveDate>,
    ) -> Vec<Service> {
        let today = self.world.today;
        match kind {
            // 4.14 Bed nights: every night from entry to the night before exit (to today
            // while open), most of them used.
            ProjectType::EsNightByNight => {
                let last = match exit {
                    Some(exit) => add_days(exit, -1).max(entry),
                    None => today,
                };
                let mut nights = Vec::new();
                let mut night = entry;
                while night <= last {
                    if night == entry || night == last || self.dice.chance(0.8) {
                        nights.push(Service {
                            date: night,
                            record_type: 200,
                            type_provided: 200,
                            moving_on_other_type: None,
                        });
                    }
                    night = add_days(night, 1);
                }
                nights
            }
            // C2 Moving On Assistance, for some heads of household in PSH.
            ProjectType::PhPermanentSupportiveHousing if m == 0 && self.dice.chance(0.12) => {
                let from = move_in.unwrap_or(entry);
                let to = exit.unwrap_or(today);
                let span = days_between(from, to);
                let count = self.dice.range(1, 3);
                let mut services: Vec<Service> = (0..count)
                    .map(|_| {
                        let type_provided = self.dice.weighted(&[(1, 30), (2, 20), (3, 25), (4, 20), (5, 5)]);
                        Service {
                            date: add_days(from, self.dice.range(0, span)),
                            record_type: 300,
                            type_provided,
                            moving_on_other_type: (type_provided == 5)
                                .then(|| self.dice.pick(MOVING_ON_OTHER)),
                        }
                    })
                    .collect();
                services.sort_by_key(|s| s.date);
                services
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn contacts(
        &mut self,
        kind: ProjectType,
        entry: NaiveDate,
        end: NaiveDate,
        open: bool,
        prior: Option<&PriorLiving>,
    ) -> Vec<Contact> {
        let at_entry = |situation: i32| Contact {
            date: entry,
            situation,
            subsidy_type: None,
            leave_within_14_days: None,
            follow_up: None,
            location_details: None,
        };
        match kind {
            ProjectType::StreetOutreach => {
                let mut contacts = Vec::new();
                let mut date = entry;
                while date <= end && contacts.len() < 15 {
                    let contact = self.contact(date);
                    contacts.push(contact);
                    date = add_days(date, self.dice.range(7, 30));
                }
                // An open outreach enrollment has been seen lately (auto-exit after 90 days).
                if open && days_between(contacts[contacts.len() - 1].date, end) > 30 {
                    let date = add_days(end, -self.dice.range(0, 20));
                    let contact = self.contact(date);
                    contacts.push(contact);
                }
                contacts
            }
            ProjectType::EsNightByNight => vec![at_entry(101)],
            ProjectType::CoordinatedEntry => {
                let situation = prior.map_or(99, |p| p.living_situation);
                let mut contact = at_entry(situation);
                contact.subsidy_type = prior.and_then(|p| p.rental_subsidy_type);
                self.fill_leave_questions(&mut contact);
                vec![contact]
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn contact(&mut self, date: NaiveDate) -> Contact {
        let situation = self.dice.weighted(STREET_CONTACTS);
        let mut contact = Contact {
            date,
            situation,
            subsidy_type: None,
            leave_within_14_days: None,
            follow_up: None,
            location_details: (situation == 116 && self.dice.chance(0.4) || situation == 17)
                .then(|| self.dice.pick(STREET_LOCATIONS)),
        };
        self.fill_leave_questions(&mut contact);
        contact
    }

    /// 4.12 follow-up questions for temporary and permanent situations.
    pub(super) fn fill_leave_questions(&mut self, contact: &mut Contact) {
        let group = app::domain::codes::destination_group(as_destination(contact.situation));
        if matches!(
            group,
            Some(DestinationGroup::Temporary) | Some(DestinationGroup::Permanent)
        ) {
            let leave = if self.dice.chance(0.02) {
                99
            } else {
                i32::from(self.dice.chance(0.6))
            };
            contact.leave_within_14_days = Some(leave);
            if leave == 1 {
                let mut answer = || i32::from(self.dice.chance(0.3));
                contact.follow_up = Some([answer(), answer(), answer(), answer()]);
            }
        }
    }

    /// The day an open services-only household was last seen: mostly lately, now and
    /// then long enough ago to be warned about or due for its project's auto-exit (a
    /// planted story says which).
    pub(super) fn last_seen(&mut self, plan: &Plan) -> NaiveDate {
        let today = self.world.today;
        let setting = self.world.projects[plan.project].auto_exit;
        let planted = match (self.plant, setting) {
            (Some(plant), Some(setting)) => plant.quiet_days(&mut self.dice, setting),
            _ => None,
        };
        let quiet = planted.unwrap_or_else(|| match setting {
            Some((exit, alert)) => {
                let (exit, alert) = (i64::from(exit), i64::from(alert.unwrap_or(exit)));
                match self.dice.weighted(&[(0, 62), (1, 26), (2, 8), (3, 4)]) {
                    0 => self.dice.range(0, 30),
                    1 => self.dice.range(31, alert - 1),
                    2 => self.dice.range(alert, exit - 1),
                    _ => self.dice.range(exit, exit + 45),
                }
            }
            None => self.dice.range(0, 45),
        });
        add_days(today, -quiet).max(plan.entry)
    }

    /// 4.12 contacts of a services-only head of household: at entry, every two to six
    /// weeks, and on `last` (the exit, or the day last seen).
    pub(super) fn check_ins(&mut self, entry: NaiveDate, last: NaiveDate) -> Vec<Contact> {
        let mut contacts = Vec::new();
        let mut date = entry;
        while date < last && contacts.len() < 20 {
            contacts.push(self.contact_at(date));
            date = add_days(date, self.dice.range(14, 42));
        }
        contacts.push(self.contact_at(last));
        contacts
    }

    /// A services-only contact: where the household is staying now.
    fn contact_at(&mut self, date: NaiveDate) -> Contact {
        let situation = self.dice.weighted(CHECK_IN_CONTACTS);
        let mut contact = Contact {
            date,
            situation,
            subsidy_type: None,
            leave_within_14_days: None,
            follow_up: None,
            location_details: None,
        };
        self.fill_leave_questions(&mut contact);
        contact
    }

    /// Days after `date` its record was entered: mostly the same day, now and then days
    /// or weeks later (never after today).
    pub(super) fn entered_late(&mut self, date: NaiveDate) -> i64 {
        let days = match self.dice.weighted(&[(0, 85), (1, 10), (2, 4), (3, 1)]) {
            0 => 0,
            1 => self.dice.range(1, 3),
            2 => self.dice.range(4, 10),
            _ => self.dice.range(11, 30),
        };
        days.min(days_between(date, self.world.today)).max(0)
    }

    /// The case manager of an open episode in `project`: one of its organization's,
    /// for most households; for every planted story's, each of them in turn, cycle
    /// after cycle (so each has some of the stories).
    pub(super) fn case_manager(&mut self, project: usize) -> Option<usize> {
        let world = self.world;
        let staff = world.case_managers_of(project);
        if staff.is_empty() {
            return None;
        }
        if self.plant.is_some_and(Plant::shapes_timeline) {
            return staff
                .get(usize::try_from(self.cycle).unwrap_or(0) % staff.len())
                .copied();
        }
        self.dice.chance(0.8).then(|| self.dice.pick(staff))
    }

    /// 4.19 assessments and 4.20 events of a CE stay (head of household).
    pub(super) fn ce_activity(
        &mut self,
        entry: NaiveDate,
        exit: Option<NaiveDate>,
        next: Option<&Plan>,
        exit_record: Option<&Exit>,
        prior: Option<&PriorLiving>,
    ) -> (Vec<CeAssessment>, Vec<CeEvent>) {
        let end = exit.unwrap_or(self.world.today);
        let span = days_between(entry, end);
        let mut assessments = Vec::new();
        let mut events = Vec::new();
        let assessment_type = |dice: &mut Dice| dice.weighted(&[(3, 55), (1, 35), (2, 10)]);
        let crisis_type = assessment_type(&mut self.dice);
        let (answers, score) = self.ce_answers(prior);
        assessments.push(CeAssessment {
            date: entry,
            location: self.location(crisis_type),
            assessment_type: crisis_type,
            level: 1,
            prioritization: 2,
            answers,
            score,
            sought: None,
        });
        let diverted = exit_record
            .is_some_and(|e| DEST_DIVERTED.iter().any(|(code, _)| *code == e.destination))
            && next.is_none();
        if diverted || self.dice.chance(0.15) {
            events.push(CeEvent {
                date: entry,
                event: 2,
                problem_solving_result: Some(i32::from(diverted)),
                case_management_after: diverted.then(|| i32::from(self.dice.chance(0.5))),
                location: None,
                referral_result: None,
                result_date: None,
            });
        }
        if self.dice.chance(0.1) {
            events.push(CeEvent {
                date: entry,
                event: self.dice.pick(&[3, 4]),
                problem_solving_result: None,
                case_management_after: None,
                location: None,
                referral_result: None,
                result_date: None,
            });
        }
        // A planted household waits on the priority list.
        let waiting = self.plant == Some(Plant::OnPriorityList);
        let housing_assessment =
            (next.is_some() || waiting || (!diverted && self.dice.chance(0.6))).then(|| {
                // (A waiting household's is its latest: not on the day of the first.)
                let first_day = i64::from(waiting).min(span);
                let date = add_days(entry, self.dice.range(first_day, span.min(30)));
                let kind = assessment_type(&mut self.dice);
                let (answers, score) = self.ce_answers(prior);
                CeAssessment {
                    date,
                    location: self.location(kind),
                    assessment_type: kind,
                    level: 2,
                    prioritization: if self.dice.chance(0.9) || waiting { 1 } else { 2 },
                    answers,
                    score,
                    sought: Some(self.sought(next, prior)),
                }
            });
        let assessed = housing_assessment.as_ref().map_or(entry, |a| a.date);
        if let Some(assessment) = housing_assessment {
            assessments.push(assessment);
        }
        match next {
            Some(next) => {
                let (event, location) = self.referral_for(next.project);
                if self.dice.chance(0.15) && event != 1 {
                    // An earlier referral that did not work out.
                    let date = add_days(assessed, self.dice.range(0, days_between(assessed, end)));
                    let result_date = add_days(date, self.dice.range(1, 21)).min(self.world.today);
                    let failed_event = self.dice.pick(&[10, 11, 13, 14]);
                    events.push(CeEvent {
                        date,
                        event: failed_event,
                        problem_solving_result: None,
                        case_management_after: None,
                        location: Some(self.any_project_name(failed_event)),
                        referral_result: Some(self.dice.pick(&[2, 3])),
                        result_date: Some(result_date.max(date)),
                    });
                }
                let date = add_days(next.entry, -self.dice.range(1, 30))
                    .max(assessed)
                    .min(end);
                let has_result = takes_referral_result(event);
                events.push(CeEvent {
                    date,
                    event,
                    problem_solving_result: None,
                    case_management_after: None,
                    location: has_result.then_some(location),
                    referral_result: has_result.then_some(1),
                    result_date: has_result.then_some(next.entry),
                });
            }
            None if !diverted && exit.is_none() && self.dice.chance(0.4) => {
                // A referral still waiting for its result.
                let date = add_days(end, -self.dice.range(0, 60)).max(assessed);
                let event = self.dice.pick(&[10, 11, 13, 14]);
                events.push(CeEvent {
                    date,
                    event,
                    problem_solving_result: None,
                    case_management_after: None,
                    location: Some(self.any_project_name(event)),
                    referral_result: None,
                    result_date: None,
                });
            }
            None if !diverted && self.dice.chance(0.3) => {
                events.push(CeEvent {
                    date: add_days(assessed, self.dice.range(0, days_between(assessed, end))),
                    event: self.dice.pick(&[5, 7, 8, 9, 16]),
                    problem_solving_result: None,
                    case_management_after: None,
                    location: None,
                    referral_result: None,
                    result_date: None,
                });
            }
            None => {}
        }
        events.sort_by_key(|e| e.date);
        (assessments, events)
    }

    pub(super) fn location(&mut self, assessment_type: i32) -> &'static str {
        match assessment_type {
            1 => "CE phone line",
            2 => "Video call",
            _ => self.dice.pick(CE_LOCATIONS),
        }
    }

    /// 4.20.2 referral event to project `project`, and its name.
    pub(super) fn referral_for(&mut self, project: usize) -> (i32, String) {
        let info = &self.world.projects[project];
        let event = match info.kind {
            ProjectType::EsEntryExit | ProjectType::EsNightByNight => 10,
            ProjectType::TransitionalHousing => 11,
            ProjectType::PhRapidReHousing => 13,
            ProjectType::PhPermanentSupportiveHousing => 14,
            ProjectType::PhHousingOnly | ProjectType::PhHousingWithServices => 15,
            ProjectType::HomelessnessPrevention => 1,
            ProjectType::StreetOutreach => 6,
            _ => 7,
        };
        (event, info.name.clone())
    }

    /// The name of a project matching referral `event`, or a generic one.
    pub(super) fn any_project_name(&mut self, event: i32) -> String {
        let kind = match event {
            10 => ProjectType::EsEntryExit,
            11 => ProjectType::TransitionalHousing,
            13 => ProjectType::PhRapidReHousing,
            _ => ProjectType::PhPermanentSupportiveHousing,
        };
        match self.world.pick_project(&mut self.dice, kind, false) {
            Some(p) => self.world.projects[p].name.clone(),
            None => "Partner agency opening".to_string(),
        }
    }
}
