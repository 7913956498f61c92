// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/IncomeBenefits.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! 4.02 income and sources, 4.03 non-cash benefits, 4.04 health insurance, W3 medical assistance, P4 SOAR, by DataCollectionStage: HUD `IncomeBenefits.csv`, table `income_benefits`.

use sea_orm::entity::prelude::*;

/// Money (M) columns are `f64`, so the model is `PartialEq` only.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "income_benefits")]
pub struct Model {
    /// HUD `IncomeBenefitsID`: primary key
    #[sea_orm(primary_key, auto_increment = false)]
    pub income_benefits_id: String,
    /// HUD `EnrollmentID`: 5.06 (FK Enrollment)
    pub enrollment_id: String,
    /// HUD `PersonalID`: 5.08 (FK Client)
    pub personal_id: String,
    /// HUD `InformationDate`: 5.04
    pub information_date: Date,
    /// HUD `IncomeFromAnySource`: 4.02 (list 1.8)
    pub income_from_any_source: Option<i32>,
    /// HUD `TotalMonthlyIncome`: 4.02
    pub total_monthly_income: Option<f64>,
    /// HUD `Earned` (list 1.7)
    pub earned: Option<i32>,
    /// HUD `EarnedAmount`
    pub earned_amount: Option<f64>,
    /// HUD `Unemployment` (list 1.7)
    pub unemployment: Option<i32>,
    /// HUD `UnemploymentAmount`
    pub unemployment_amount: Option<f64>,
    /// HUD `SSI` (list 1.7)
    pub ssi: Option<i32>,
    /// HUD `SSIAmount`
    pub ssi_amount: Option<f64>,
    /// HUD `SSDI` (list 1.7)
    pub ssdi: Option<i32>,
    /// HUD `SSDIAmount`
    pub ssdi_amount: Option<f64>,
    /// HUD `VADisabilityService` (list 1.7)
    pub va_disability_service: Option<i32>,
    /// HUD `VADisabilityServiceAmount`
    pub va_disability_service_amount: Option<f64>,
    /// HUD `VADisabilityNonService` (list 1.7)
    pub va_disability_non_service: Option<i32>,
    /// HUD `VADisabilityNonServiceAmount`
    pub va_disability_non_service_amount: Option<f64>,
    /// HUD `PrivateDisability` (list 1.7)
    pub private_disability: Option<i32>,
    /// HUD `PrivateDisabilityAmount`
    pub private_disability_amount: Option<f64>,
    /// HUD `WorkersComp` (list 1.7)
    pub workers_comp: Option<i32>,
    /// HUD `WorkersCompAmount`
    pub workers_comp_amount: Option<f64>,
    /// HUD `TANF` (list 1.7)
    pub tanf: Option<i32>,
    /// HUD `TANFAmount`
    pub tanf_amount: Option<f64>,
    /// HUD `GA` (list 1.7)
    pub ga: Option<i32>,
    /// HUD `GAAmount`
    pub ga_amount: Option<f64>,
    /// HUD `SocSecRetirement` (list 1.7)
    pub soc_sec_retirement: Option<i32>,
    /// HUD `SocSecRetirementAmount`
    pub soc_sec_retirement_amount: Option<f64>,
    /// HUD `Pension` (list 1.7)
    pub pension: Option<i32>,
    /// HUD `PensionAmount`
    pub pension_amount: Option<f64>,
    /// HUD `ChildSupport` (list 1.7)
    pub child_support: Option<i32>,
    /// HUD `ChildSupportAmount`
    pub child_support_amount: Option<f64>,
    /// HUD `Alimony` (list 1.7)
    pub alimony: Option<i32>,
    /// HUD `AlimonyAmount`
    pub alimony_amount: Option<f64>,
    /// HUD `OtherIncomeSource` (list 1.7)
    pub other_income_source: Option<i32>,
    /// HUD `OtherIncomeAmount`
    pub other_income_amount: Option<f64>,
    /// HUD `OtherIncomeSourceIdentify`
    pub other_income_source_identify: Option<String>,
    /// HUD `BenefitsFromAnySource`: 4.03 (list 1.8)
    pub benefits_from_any_source: Option<i32>,
    /// HUD `SNAP` (list 1.7)
    pub snap: Option<i32>,
    /// HUD `WIC` (list 1.7)
    pub wic: Option<i32>,
    /// HUD `TANFChildCare` (list 1.7)
    pub tanf_child_care: Option<i32>,
    /// HUD `TANFTransportation` (list 1.7)
    pub tanf_transportation: Option<i32>,
    /// HUD `OtherTANF` (list 1.7)
    pub other_tanf: Option<i32>,
    /// HUD `OtherBenefitsSource` (list 1.7)
    pub other_benefits_source: Option<i32>,
    /// HUD `OtherBenefitsSourceIdentify`
    pub other_benefits_source_identify: Option<String>,
    /// HUD `InsuranceFromAnySource`: 4.04 (list 1.8)
    pub insurance_from_any_source: Option<i32>,
    /// HUD `Medicaid` (list 1.7)
    pub medicaid: Option<i32>,
    /// HUD `NoMedicaidReason` (list 4.04.A)
    pub no_medicaid_reason: Option<i32>,
    /// HUD `Medicare` (list 1.7)
    pub medicare: Option<i32>,
    /// HUD `NoMedicareReason` (list 4.04.A)
    pub no_medicare_reason: Option<i32>,
    /// HUD `SCHIP` (list 1.7)
    pub schip: Option<i32>,
    /// HUD `NoSCHIPReason` (list 4.04.A)
    pub no_schip_reason: Option<i32>,
    /// HUD `VHAServices` (list 1.7)
    pub vha_services: Option<i32>,
    /// HUD `NoVHAReason` (list 4.04.A)
    pub no_vha_reason: Option<i32>,
    /// HUD `EmployerProvided` (list 1.7)
    pub employer_provided: Option<i32>,
    /// HUD `NoEmployerProvidedReason` (list 4.04.A)
    pub no_employer_provided_reason: Option<i32>,
    /// HUD `COBRA` (list 1.7)
    pub cobra: Option<i32>,
    /// HUD `NoCOBRAReason` (list 4.04.A)
    pub no_cobra_reason: Option<i32>,
    /// HUD `PrivatePay` (list 1.7)
    pub private_pay: Option<i32>,
    /// HUD `NoPrivatePayReason` (list 4.04.A)
    pub no_private_pay_reason: Option<i32>,
    /// HUD `StateHealthIns` (list 1.7)
    pub state_health_ins: Option<i32>,
    /// HUD `NoStateHealthInsReason` (list 4.04.A)
    pub no_state_health_ins_reason: Option<i32>,
    /// HUD `IndianHealthServices` (list 1.7)
    pub indian_health_services: Option<i32>,
    /// HUD `NoIndianHealthServicesReason` (list 4.04.A)
    pub no_indian_health_services_reason: Option<i32>,
    /// HUD `OtherInsurance` (list 1.7)
    pub other_insurance: Option<i32>,
    /// HUD `OtherInsuranceIdentify`
    pub other_insurance_identify: Option<String>,
    /// HUD `ADAP`: W3 (list 1.8)
    pub adap: Option<i32>,
    /// HUD `NoADAPReason` (list W3)
    pub no_adap_reason: Option<i32>,
    /// HUD `RyanWhiteMedDent`: W3 (list 1.8)
    pub ryan_white_med_dent: Option<i32>,
    /// HUD `NoRyanWhiteReason` (list W3)
    pub no_ryan_white_reason: Option<i32>,
    /// HUD `ConnectionWithSOAR`: P4 (list 1.8)
    pub connection_with_soar: Option<i32>,
    /// HUD `DataCollectionStage`: 5.03 (list 5.03.1)
    pub data_collection_stage: Option<i32>,
    /// HUD `DateCreated`: 5.01
    pub created_at: DateTimeUtc,
    /// HUD `DateUpdated`: 5.02
    pub updated_at: DateTimeUtc,
    /// HUD `UserID`: 5.07 (FK User)
    pub created_by: Option<String>,
    /// HUD `DateDeleted`: null unless record deleted (delta exports)
    pub date_deleted: Option<DateTimeUtc>,
    /// Local: the assessment event (master assessment) this row belongs to. The spec's InformationDate and DataCollectionStage stay on the row too: the app writes them equal to the event's, imported files may disagree.
    pub assessment_event_id: String,
}
// @generated end

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::assessment_event::Entity",
        from = "Column::AssessmentEventId",
        to = "super::assessment_event::Column::AssessmentEventId"
    )]
    AssessmentEvent,
}

impl Related<super::assessment_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AssessmentEvent.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
