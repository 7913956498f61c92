//! IncomeBenefits.csv rows from a member's finances at one stage.

use app::db::entities::income_benefit;
use chrono::{DateTime, Utc};

use crate::data::household::{Finances, Stage};

/// An IncomeBenefits.csv row. Source columns are 0/1 when their "any source" question
/// was answered yes or no, empty otherwise; the HOPWA-only columns stay empty.
pub(super) fn income_row(
    f: &Finances,
    income_benefits_id: String,
    enrollment_id: &str,
    personal_id: &str,
    stage: &Stage,
    assessment_event_id: &str,
    at: DateTime<Utc>,
) -> income_benefit::Model {
    let income_known = matches!(f.income_from_any_source, Some(0 | 1));
    let flag = |cents: u32| income_known.then_some(i32::from(cents > 0));
    let amount = |cents: u32| (income_known && cents > 0).then(|| f64::from(cents) / 100.0);
    let i = &f.income_cents;
    let benefits_known = matches!(f.benefits_from_any_source, Some(0 | 1));
    let benefit = |n: usize| benefits_known.then_some(i32::from(f.benefits[n]));
    let insurance_known = matches!(f.insurance_from_any_source, 0 | 1);
    let insured = |n: usize| insurance_known.then_some(i32::from(f.insurance[n]));
    income_benefit::Model {
        income_benefits_id,
        enrollment_id: enrollment_id.to_string(),
        personal_id: personal_id.to_string(),
        information_date: stage.date,
        income_from_any_source: f.income_from_any_source,
        total_monthly_income: f.total_income_cents().map(|c| c as f64 / 100.0),
        earned: flag(i[0]),
        earned_amount: amount(i[0]),
        unemployment: flag(i[1]),
        unemployment_amount: amount(i[1]),
        ssi: flag(i[2]),
        ssi_amount: amount(i[2]),
        ssdi: flag(i[3]),
        ssdi_amount: amount(i[3]),
        va_disability_service: flag(i[4]),
        va_disability_service_amount: amount(i[4]),
        va_disability_non_service: flag(i[5]),
        va_disability_non_service_amount: amount(i[5]),
        private_disability: flag(i[6]),
        private_disability_amount: amount(i[6]),
        workers_comp: flag(i[7]),
        workers_comp_amount: amount(i[7]),
        tanf: flag(i[8]),
        tanf_amount: amount(i[8]),
        ga: flag(i[9]),
        ga_amount: amount(i[9]),
        soc_sec_retirement: flag(i[10]),
        soc_sec_retirement_amount: amount(i[10]),
        pension: flag(i[11]),
        pension_amount: amount(i[11]),
        child_support: flag(i[12]),
        child_support_amount: amount(i[12]),
        alimony: flag(i[13]),
        alimony_amount: amount(i[13]),
        other_income_source: flag(i[14]),
        other_income_amount: amount(i[14]),
        other_income_source_identify: f
            .other_income_identify
            .filter(|_| income_known)
            .map(str::to_string),
        benefits_from_any_source: f.benefits_from_any_source,
        snap: benefit(0),
        wic: benefit(1),
        tanf_child_care: benefit(2),
        tanf_transportation: benefit(3),
        other_tanf: benefit(4),
        other_benefits_source: benefit(5),
        other_benefits_source_identify: f
            .other_benefits_identify
            .filter(|_| benefits_known)
            .map(str::to_string),
        insurance_from_any_source: Some(f.insurance_from_any_source),
        medicaid: insured(0),
        no_medicaid_reason: None,
        medicare: insured(1),
        no_medicare_reason: None,
        schip: insured(2),
        no_schip_reason: None,
        vha_services: insured(3),
        no_vha_reason: None,
        employer_provided: insured(4),
        no_employer_provided_reason: None,
        cobra: insured(5),
        no_cobra_reason: None,
        private_pay: insured(6),
        no_private_pay_reason: None,
        state_health_ins: insured(7),
        no_state_health_ins_reason: None,
        indian_health_services: insured(8),
        no_indian_health_services_reason: None,
        other_insurance: insured(9),
        other_insurance_identify: f
            .other_insurance_identify
            .filter(|_| insurance_known)
            .map(str::to_string),
        adap: None,
        no_adap_reason: None,
        ryan_white_med_dent: None,
        no_ryan_white_reason: None,
        connection_with_soar: None,
        data_collection_stage: Some(stage.stage),
        created_at: at,
        updated_at: at,
        created_by: None,
        date_deleted: None,
        assessment_event_id: assessment_event_id.to_string(),
    }
}
