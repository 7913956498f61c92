//! The pure part of the demo-data generator: one household, its members and its
//! episodes of service, as plain structs. No database, no IDs: [`super::rows`] turns a
//! [`Household`] into table rows.
//!
//! A household is drawn from its own random stream ([`Dice::for_household`]), so it
//! depends only on the seed, its number and the world (projects, case managers, CE
//! questions). Its story:
//!
//! 1. a composition (single adult, youth, couple, family, parenting youth, adults) with
//!    exactly one head of household aged 18 or over;
//! 2. a path through the CoC's projects (e.g. street outreach, then coordinated entry,
//!    then permanent supportive housing), starting on a day within the three years
//!    before "today", one episode after the other, the last one possibly still open;
//! 3. birth dates that keep children under 18 at every entry and adults 18 or over;
//! 4. per episode, one stay per member (members may join after the head, never before,
//!    and leave before the head, never after), with the stage-dated records, services,
//!    contacts, CE assessments (answering the CoC's questions) and events, exits with
//!    destinations, and the case manager its open stays are assigned to;
//! 5. for some households, by their number, a planted story ([`Plant`]) a screen needs
//!    to show something: a household about to be auto-exited, an annual assessment due
//!    today, a client of two organizations, a data-quality problem.

use app::domain::codes::ProjectType;
use chrono::{Months, NaiveDate, TimeDelta};

use super::dice::Dice;

mod compose;
mod episode;
mod plant;
mod records;
mod tables;
#[cfg(test)]
pub mod tests;
mod world;

use compose::{Age, compose, make_members, plan_timeline};
use episode::Builder;
pub use plant::Plant;
use tables::{ADULT_FLOWS, DV_FLOWS, FAMILY_FLOWS, HOUSEHOLD_KINDS, YOUTH_FLOWS};
pub use world::{CaseManager, CeQuestion, ProjectInfo, Topic, World};

/// 3.04 Race and ethnicity: the seven 1.10 columns, RaceNone and the free text.
#[derive(Clone, Debug, PartialEq)]
pub struct Race {
    pub am_ind_ak_native: i32,
    pub asian: i32,
    pub black_af_american: i32,
    pub hispanic_latinao: i32,
    pub mid_east_n_african: i32,
    pub native_hi_pacific: i32,
    pub white: i32,
    /// 1.6 RaceNone: only when every column is 0.
    pub race_none: Option<i32>,
    /// 3.04 AdditionalRaceEthnicity.
    pub additional: Option<&'static str>,
}

/// V1 Veteran's information, for 3.07 VeteranStatus = 1.
#[derive(Clone, Debug, PartialEq)]
pub struct MilitaryService {
    pub year_entered: i32,
    pub year_separated: i32,
    /// (list 1.8) WorldWarII, KoreanWar, VietnamWar, DesertStorm, AfghanistanOEF,
    /// IraqOIF, IraqOND, OtherTheater.
    pub theaters: [i32; 8],
    /// V1.11 MilitaryBranch.
    pub branch: i32,
    /// V1.12 DischargeStatus.
    pub discharge: i32,
}

/// One person of the household (Client.csv).
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// 3.15 RelationshipToHoH: the same in every episode; `members[0]` is 1.
    pub relationship: i32,
    /// The true birth date the story uses (the recorded DOB may be approximate or
    /// missing).
    pub birth_date: NaiveDate,
    pub first_name: Option<&'static str>,
    pub middle_name: Option<&'static str>,
    pub last_name: Option<&'static str>,
    pub name_suffix: Option<&'static str>,
    /// 3.01.5 NameDataQuality.
    pub name_data_quality: i32,
    /// 3.02 SSN: nine characters, unknown digits as `x` (in the 900-999 area range,
    /// which is never issued, so no demo SSN is a real person's).
    pub ssn: Option<String>,
    /// 3.02.2 SSNDataQuality.
    pub ssn_data_quality: i32,
    /// 3.03 DOB as recorded.
    pub dob: Option<NaiveDate>,
    /// 3.03.2 DOBDataQuality.
    pub dob_data_quality: i32,
    /// 4.21 Sex.
    pub sex: i32,
    pub race: Race,
    /// 3.07 VeteranStatus (list 1.8): 0 for children, who are not asked.
    pub veteran_status: i32,
    pub service: Option<MilitaryService>,
}

/// 4.02 income sources, in IncomeBenefits.csv column order.
pub const INCOME_SOURCES: usize = 15;
const EARNED: usize = 0;
const UNEMPLOYMENT: usize = 1;
const SSI: usize = 2;
const SSDI: usize = 3;
const VA_SERVICE: usize = 4;
const VA_NON_SERVICE: usize = 5;
const PRIVATE_DISABILITY: usize = 6;
const WORKERS_COMP: usize = 7;
const TANF: usize = 8;
const GA: usize = 9;
const SOC_SEC_RETIREMENT: usize = 10;
const PENSION: usize = 11;
const CHILD_SUPPORT: usize = 12;
const ALIMONY: usize = 13;
const OTHER_INCOME: usize = 14;

/// 4.03 non-cash benefits: SNAP, WIC, TANFChildCare, TANFTransportation, OtherTANF,
/// OtherBenefitsSource.
pub const BENEFITS: usize = 6;
const SNAP: usize = 0;
const WIC: usize = 1;
const OTHER_BENEFITS: usize = 5;

/// 4.04 health insurance: Medicaid, Medicare, SCHIP, VHAServices, EmployerProvided,
/// COBRA, PrivatePay, StateHealthIns, IndianHealthServices, OtherInsurance.
pub const INSURANCES: usize = 10;
const MEDICAID: usize = 0;
const MEDICARE: usize = 1;
const SCHIP: usize = 2;
const VHA: usize = 3;
const EMPLOYER: usize = 4;
const COBRA: usize = 5;
const PRIVATE_PAY: usize = 6;
const STATE_INSURANCE: usize = 7;
const INDIAN_HEALTH: usize = 8;
const OTHER_INSURANCE: usize = 9;

/// One IncomeBenefits.csv record's content: 4.02 income, 4.03 benefits, 4.04 insurance.
#[derive(Clone, Debug, PartialEq)]
pub struct Finances {
    /// 4.02 IncomeFromAnySource (1.8); `None` for children (not collected). With 8, 9 or
    /// 99 the source columns stay empty.
    pub income_from_any_source: Option<i32>,
    /// Monthly amount per 4.02 source, in cents; 0 when the source is absent.
    pub income_cents: [u32; INCOME_SOURCES],
    pub other_income_identify: Option<&'static str>,
    /// 4.03 BenefitsFromAnySource (1.8); `None` for children.
    pub benefits_from_any_source: Option<i32>,
    pub benefits: [bool; BENEFITS],
    pub other_benefits_identify: Option<&'static str>,
    /// 4.04 InsuranceFromAnySource (1.8), collected for everyone.
    pub insurance_from_any_source: i32,
    pub insurance: [bool; INSURANCES],
    pub other_insurance_identify: Option<&'static str>,
}

impl Finances {
    /// 4.02 TotalMonthlyIncome in cents, when income was collected.
    pub fn total_income_cents(&self) -> Option<u64> {
        (self.income_from_any_source == Some(1) || self.income_from_any_source == Some(0))
            .then(|| self.income_cents.iter().map(|c| u64::from(*c)).sum())
    }
}

/// 1.3 DisabilityType codes, in the order of [`Disabilities`]' arrays: physical,
/// developmental, chronic health, HIV/AIDS, mental health, substance use.
pub const DISABILITY_TYPES: [i32; 6] = [5, 6, 7, 8, 9, 10];

/// 4.05-4.10: one Disabilities.csv row per type.
#[derive(Clone, Debug, PartialEq)]
pub struct Disabilities {
    /// DisabilityResponse: list 1.8 for types 5-9, 4.10.2 for type 10.
    pub responses: [i32; 6],
    /// IndefiniteAndImpairs (1.8): asked for physical, chronic health, mental health and
    /// substance use when the response is yes.
    pub indefinite: [Option<i32>; 6],
}

impl Disabilities {
    /// 3.08 DisablingCondition implied by the responses.
    pub fn disabling_condition(&self) -> i32 {
        let mut any_missing = None;
        for (i, (&response, &indefinite)) in self.responses.iter().zip(&self.indefinite).enumerate() {
            let yes = app::domain::disability::is_yes(DISABILITY_TYPES[i], response);
            // Developmental disability and HIV/AIDS are disabling by definition.
            if yes && (matches!(DISABILITY_TYPES[i], 6 | 8) || indefinite == Some(1)) {
                return 1;
            }
            if matches!(response, 8 | 9 | 99) {
                any_missing = Some(response);
            }
        }
        if self.responses.iter().all(|r| matches!(r, 8 | 9 | 99)) {
            return any_missing.unwrap_or(99);
        }
        0
    }
}

/// 4.11 Domestic violence (HealthAndDV.csv), for heads of household and adults.
#[derive(Clone, Debug, PartialEq)]
pub struct DomesticViolence {
    /// DomesticViolenceSurvivor (1.8).
    pub survivor: i32,
    /// 4.11.A WhenOccurred, when a survivor.
    pub when_occurred: Option<i32>,
    /// 4.11.B CurrentlyFleeing (1.8), when a survivor.
    pub currently_fleeing: Option<i32>,
}

/// R4-R6 (EmploymentEducation.csv), for adults.
#[derive(Clone, Debug, PartialEq)]
pub struct Employment {
    /// R4.1 LastGradeCompleted.
    pub last_grade_completed: i32,
    /// R5.1 SchoolStatus.
    pub school_status: i32,
    /// R6 Employed (1.8).
    pub employed: i32,
    /// R6.A EmploymentType, when employed.
    pub employment_type: Option<i32>,
    /// R6.B NotEmployedReason, when not employed.
    pub not_employed_reason: Option<i32>,
}

/// One data collection (an `assessment_events` row) of one member's stay.
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    /// 5.03.1 DataCollectionStage: 1 entry, 2 update, 3 exit, 5 annual.
    pub stage: i32,
    /// 5.04 InformationDate.
    pub date: NaiveDate,
    pub finances: Finances,
    /// At entry and exit.
    pub disabilities: Option<Disabilities>,
    /// Adults at entry (and at an update for survivors).
    pub domestic_violence: Option<DomesticViolence>,
    /// Adults at entry and exit, in residential and prevention projects.
    pub employment: Option<Employment>,
}

/// 3.917 Prior living situation (heads of household and adults).
#[derive(Clone, Debug, PartialEq)]
pub struct PriorLiving {
    /// 3.917.1 LivingSituation.
    pub living_situation: i32,
    /// 3.12.A RentalSubsidyType, when the situation is 435.
    pub rental_subsidy_type: Option<i32>,
    /// 3.917.2 LengthOfStay.
    pub length_of_stay: Option<i32>,
    /// 3.917.2A LOSUnderThreshold (1.7).
    pub los_under_threshold: Option<i32>,
    /// 3.917.2B PreviousStreetESSH (1.7).
    pub previous_street_essh: Option<i32>,
    /// 3.917.3 DateToStreetESSH.
    pub date_to_street_essh: Option<NaiveDate>,
    /// 3.917.4 TimesHomelessPastThreeYears.
    pub times_homeless: Option<i32>,
    /// 3.917.5 MonthsHomelessPastThreeYears.
    pub months_homeless: Option<i32>,
}

/// A Services.csv record (4.14 bed nights, C2 moving-on assistance).
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    pub date: NaiveDate,
    /// 1.4 RecordType.
    pub record_type: i32,
    /// TypeProvided, from the list RecordType names (4.14 for 200, C2.2 for 300).
    pub type_provided: i32,
    /// C2 MovingOnOtherType, for C2.2 code 5.
    pub moving_on_other_type: Option<&'static str>,
}

/// A 4.12 Current living situation contact.
#[derive(Clone, Debug, PartialEq)]
pub struct Contact {
    pub date: NaiveDate,
    /// 4.12 CurrentLivingSituation.
    pub situation: i32,
    /// 4.12.A CLSSubsidyType, for situation 435.
    pub subsidy_type: Option<i32>,
    /// LeaveSituation14Days (1.8), for temporary and permanent situations.
    pub leave_within_14_days: Option<i32>,
    /// SubsequentResidence, ResourcesToObtain, LeaseOwn60Day, MovedTwoOrMore (1.8),
    /// when the client must leave within 14 days.
    pub follow_up: Option<[i32; 4]>,
    /// LocationDetails.
    pub location_details: Option<&'static str>,
}

/// A 4.19 Coordinated entry assessment (Assessment.csv).
#[derive(Clone, Debug, PartialEq)]
pub struct CeAssessment {
    pub date: NaiveDate,
    /// 4.19.2 AssessmentLocation.
    pub location: &'static str,
    /// 4.19.3 AssessmentType.
    pub assessment_type: i32,
    /// 4.19.4 AssessmentLevel.
    pub level: i32,
    /// 4.19.7 PrioritizationStatus.
    pub prioritization: i32,
    /// The choice (an index into its `choices`) given to each of [`World::ce_questions`].
    pub answers: Vec<usize>,
    /// The score: the points of the choices given (`domain::ce::score`).
    pub score: i32,
    /// 2.02.6 code of the project type sought, for housing assessments.
    pub sought: Option<i32>,
}

/// A 4.20 Coordinated entry event (Event.csv).
#[derive(Clone, Debug, PartialEq)]
pub struct CeEvent {
    pub date: NaiveDate,
    /// 4.20.2 Event.
    pub event: i32,
    /// 4.20.A ProbSolDivRRResult (1.7), for event 2.
    pub problem_solving_result: Option<i32>,
    /// 4.20.B ReferralCaseManageAfter (1.7), after a successful diversion.
    pub case_management_after: Option<i32>,
    /// 4.20.C LocationCrisisOrPHHousing: the project referred to.
    pub location: Option<String>,
    /// 4.20.D ReferralResult, for referrals to openings (10-15, 17, 18).
    pub referral_result: Option<i32>,
    /// 4.20.E ResultDate.
    pub result_date: Option<NaiveDate>,
}

/// 3.11 Project exit (Exit.csv).
#[derive(Clone, Debug, PartialEq)]
pub struct Exit {
    pub date: NaiveDate,
    /// 3.12 Destination.
    pub destination: i32,
    /// 3.12.A DestinationSubsidyType, for destination 435.
    pub subsidy_type: Option<i32>,
    /// OtherDestination, for destination 17.
    pub other_destination: Option<&'static str>,
    /// Local reason for leaving (an `exit_reasons` ID seeded by the migration).
    pub exit_reason_id: &'static str,
    /// Local: manual, auto or admin.
    pub exit_method: &'static str,
    /// Days after the exit date the exit was entered (5.01 DateCreated).
    pub entered_late: i64,
}

/// One member's enrollment in one episode.
#[derive(Clone, Debug, PartialEq)]
pub struct Stay {
    /// Index into [`Household::members`].
    pub member: usize,
    /// 3.10 EntryDate.
    pub entry: NaiveDate,
    pub exit: Option<Exit>,
    /// 3.20 MoveInDate (permanent housing).
    pub move_in: Option<NaiveDate>,
    /// 4.13 DateOfEngagement (street outreach, night-by-night shelter).
    pub engagement: Option<NaiveDate>,
    /// 3.917, for heads of household and adults.
    pub prior: Option<PriorLiving>,
    /// 3.08 DisablingCondition (1.8).
    pub disabling_condition: i32,
    pub stages: Vec<Stage>,
    pub services: Vec<Service>,
    pub contacts: Vec<Contact>,
    pub assessments: Vec<CeAssessment>,
    pub events: Vec<CeEvent>,
    /// Days after the entry date the enrollment was entered (5.01 DateCreated).
    pub entered_late: i64,
}

impl Stay {
    pub fn exit_date(&self) -> Option<NaiveDate> {
        self.exit.as_ref().map(|e| e.date)
    }
}

/// The household's enrollment in one project: one stay per member present.
#[derive(Clone, Debug, PartialEq)]
pub struct Episode {
    /// Index into [`World::projects`].
    pub project: usize,
    pub kind: ProjectType,
    /// `stays[0]` is the head of household's.
    pub stays: Vec<Stay>,
    /// The case manager (an index into [`World::case_managers`]) the open stays of the
    /// episode are assigned to, if any.
    pub case_manager: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HouseholdKind {
    SingleAdult,
    Youth,
    Couple,
    Adults,
    Family,
    ParentingYouth,
}

/// A generated household: `members[0]` is the head of household.
#[derive(Clone, Debug, PartialEq)]
pub struct Household {
    pub kind: HouseholdKind,
    /// Fleeing domestic violence: served by victim service providers where possible.
    pub fleeing_dv: bool,
    pub members: Vec<Member>,
    pub episodes: Vec<Episode>,
    /// The story planted in this household, if any (see [`Plant`]).
    pub plant: Option<Plant>,
}

// ---------------------------------------------------------------------------------
// Dates

fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    date + TimeDelta::days(days)
}

fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

fn add_years(date: NaiveDate, years: i64) -> NaiveDate {
    let months = Months::new(u32::try_from(years.unsigned_abs() * 12).unwrap_or(0));
    let moved = if years >= 0 {
        date.checked_add_months(months)
    } else {
        date.checked_sub_months(months)
    };
    moved.unwrap_or(date)
}

/// Age in whole years on `date`.
pub fn age_on(birth: NaiveDate, date: NaiveDate) -> i64 {
    match date.years_since(birth) {
        Some(years) => i64::from(years),
        None => -1,
    }
}

/// A birth date making someone exactly `age` on `date`.
fn birth_for_age(dice: &mut Dice, age: i64, date: NaiveDate) -> NaiveDate {
    add_days(add_years(date, -age), -dice.range(1, 364))
}

/// Generates household number `index` of the world's seed, with at most `max_members`
/// members (the last household is cut to make the client count exact; at least 1).
pub fn generate(world: &World, index: u64, max_members: usize) -> Household {
    let mut dice = Dice::for_household(world.seed, index);
    let plant = Plant::of(index);
    let kind = dice.weighted(HOUSEHOLD_KINDS);
    let mut drafts = compose(&mut dice, kind);
    drafts.truncate(max_members.max(1));
    let fleeing_dv = {
        let head_female = drafts[0].sex == 0;
        let p = match kind {
            HouseholdKind::Family | HouseholdKind::ParentingYouth => 0.12,
            HouseholdKind::SingleAdult | HouseholdKind::Youth if head_female => 0.08,
            _ => 0.02,
        };
        // A planted path goes through the CoC's other projects.
        dice.chance(p) && !plant.is_some_and(Plant::shapes_timeline)
    };
    let has_children = drafts.iter().any(|d| matches!(d.age, Age::LastEntry(_)));
    let flows = if fleeing_dv {
        DV_FLOWS
    } else if has_children {
        FAMILY_FLOWS
    } else if kind == HouseholdKind::Youth {
        YOUTH_FLOWS
    } else {
        ADULT_FLOWS
    };
    let flow = dice.weighted(flows);
    let plans = match plant.and_then(|p| p.plans(world, &mut dice)) {
        Some(plans) => plans,
        None => {
            let from = plant.map_or(world.window_start(), |p| p.starts_from(world));
            plan_timeline(world, &mut dice, flow, fleeing_dv, from)
        }
    };
    let first_entry = plans[0].entry;
    // Members may join up to 14 days after the head: children stay under 18 then too.
    let latest_entry = add_days(plans[plans.len() - 1].entry, 14);
    let members = make_members(world, &mut dice, &drafts, first_entry, latest_entry);
    let story = (plant, index / plant::CYCLE);
    let mut builder = Builder::new(world, dice, &members, fleeing_dv, first_entry, story);
    let mut episodes = Vec::with_capacity(plans.len());
    for (i, plan) in plans.iter().enumerate() {
        let next = plans.get(i + 1);
        let previous = i.checked_sub(1).map(|p| plans[p].kind);
        episodes.push(builder.episode(plan, previous, next));
    }
    let mut household = Household {
        kind,
        fleeing_dv,
        members,
        episodes,
        plant,
    };
    if let Some(plant) = plant {
        plant.apply(world, index, &mut household);
    }
    household
}
