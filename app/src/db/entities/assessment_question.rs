// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/AssessmentQuestions.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! 4.19 CE assessment questions/answers (locally defined, optional): HUD `AssessmentQuestions.csv`, table `assessment_questions`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assessment_questions")]
pub struct Model {
    /// HUD `AssessmentQuestionID`: primary key
    #[sea_orm(primary_key, auto_increment = false)]
    pub assessment_question_id: String,
    /// HUD `AssessmentID`
    pub assessment_id: String,
    /// HUD `EnrollmentID`: 5.06 (FK Enrollment)
    pub enrollment_id: String,
    /// HUD `PersonalID`: 5.08 (FK Client)
    pub personal_id: String,
    /// HUD `AssessmentQuestionGroup`
    pub assessment_question_group: Option<String>,
    /// HUD `AssessmentQuestionOrder`
    pub assessment_question_order: Option<i32>,
    /// HUD `AssessmentQuestion`
    pub assessment_question: Option<String>,
    /// HUD `AssessmentAnswer`
    pub assessment_answer: Option<String>,
    /// HUD `DateCreated`: 5.01
    pub created_at: DateTimeUtc,
    /// HUD `DateUpdated`: 5.02
    pub updated_at: DateTimeUtc,
    /// HUD `UserID`: 5.07 (FK User)
    pub created_by: Option<String>,
    /// HUD `DateDeleted`: null unless record deleted (delta exports)
    pub date_deleted: Option<DateTimeUtc>,
}
// @generated end

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
