//! HUD's conditional requirements in the HMIS CSV: a column the specification leaves
//! nullable that must hold a value when another column of the same record has a given
//! answer (a subsidy type when the destination or living situation is 435 "Rental by
//! client, with ongoing housing subsidy"; an amount for each income source answered
//! Yes; when and whether fleeing for a survivor of domestic violence; a due date for a
//! pregnancy). The import lists a record that breaks one as a finding and stores it as
//! it is (the data-quality report counts what is missing; nothing is guessed).

/// `then` must hold a value when `when` holds one of the codes `is`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Condition {
    pub file: &'static str,
    pub when: &'static str,
    pub is: &'static [i32],
    pub then: &'static str,
}

/// 3.12 / 3.917 / 4.12: "Rental by client, with ongoing housing subsidy".
const WITH_SUBSIDY: &[i32] = &[435];
const YES: &[i32] = &[1];

const fn rule(file: &'static str, when: &'static str, is: &'static [i32], then: &'static str) -> Condition {
    Condition { file, when, is, then }
}

/// Every conditional requirement the import checks.
pub const CONDITIONS: &[Condition] = &[
    rule("Exit.csv", "Destination", WITH_SUBSIDY, "DestinationSubsidyType"),
    rule(
        "Enrollment.csv",
        "LivingSituation",
        WITH_SUBSIDY,
        "RentalSubsidyType",
    ),
    rule(
        "CurrentLivingSituation.csv",
        "CurrentLivingSituation",
        WITH_SUBSIDY,
        "CLSSubsidyType",
    ),
    rule("IncomeBenefits.csv", "Earned", YES, "EarnedAmount"),
    rule("IncomeBenefits.csv", "Unemployment", YES, "UnemploymentAmount"),
    rule("IncomeBenefits.csv", "SSI", YES, "SSIAmount"),
    rule("IncomeBenefits.csv", "SSDI", YES, "SSDIAmount"),
    rule(
        "IncomeBenefits.csv",
        "VADisabilityService",
        YES,
        "VADisabilityServiceAmount",
    ),
    rule(
        "IncomeBenefits.csv",
        "VADisabilityNonService",
        YES,
        "VADisabilityNonServiceAmount",
    ),
    rule(
        "IncomeBenefits.csv",
        "PrivateDisability",
        YES,
        "PrivateDisabilityAmount",
    ),
    rule("IncomeBenefits.csv", "WorkersComp", YES, "WorkersCompAmount"),
    rule("IncomeBenefits.csv", "TANF", YES, "TANFAmount"),
    rule("IncomeBenefits.csv", "GA", YES, "GAAmount"),
    rule(
        "IncomeBenefits.csv",
        "SocSecRetirement",
        YES,
        "SocSecRetirementAmount",
    ),
    rule("IncomeBenefits.csv", "Pension", YES, "PensionAmount"),
    rule("IncomeBenefits.csv", "ChildSupport", YES, "ChildSupportAmount"),
    rule("IncomeBenefits.csv", "Alimony", YES, "AlimonyAmount"),
    rule(
        "IncomeBenefits.csv",
        "OtherIncomeSource",
        YES,
        "OtherIncomeAmount",
    ),
    rule(
        "IncomeBenefits.csv",
        "OtherIncomeSource",
        YES,
        "OtherIncomeSourceIdentify",
    ),
    rule(
        "IncomeBenefits.csv",
        "OtherBenefitsSource",
        YES,
        "OtherBenefitsSourceIdentify",
    ),
    rule(
        "IncomeBenefits.csv",
        "OtherInsurance",
        YES,
        "OtherInsuranceIdentify",
    ),
    rule("HealthAndDV.csv", "DomesticViolenceSurvivor", YES, "WhenOccurred"),
    rule(
        "HealthAndDV.csv",
        "DomesticViolenceSurvivor",
        YES,
        "CurrentlyFleeing",
    ),
    rule("HealthAndDV.csv", "PregnancyStatus", YES, "DueDate"),
];

/// The conditions of one file.
pub fn of_file(file: &str) -> impl Iterator<Item = &'static Condition> + use<'_> {
    CONDITIONS.iter().filter(move |c| c.file == file)
}

impl Condition {
    /// Whether a record breaks the condition: `code` is its `when` column's integer
    /// code, `present` whether its `then` column holds a value.
    pub fn broken_by(&self, code: Option<i32>, present: bool) -> bool {
        code.is_some_and(|v| self.is.contains(&v)) && !present
    }

    /// Why the value is required, as a person reads it.
    pub fn reason(&self, code: i32) -> String {
        format!("a value is required when {} is {code}", self.when)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// The conditions of `file` a record breaks: `code` answers a column's integer
    /// code, `present` whether a column holds a value.
    fn broken<'a>(
        file: &'a str,
        code: impl Fn(&str) -> Option<i32> + 'a,
        present: impl Fn(&str) -> bool + 'a,
    ) -> impl Iterator<Item = &'static Condition> + 'a {
        of_file(file).filter(move |c| c.broken_by(code(c.when), present(c.then)))
    }

    #[test]
    fn an_answer_that_asks_for_another_value_is_broken_only_without_it() {
        let row: HashMap<&str, i32> = [("Destination", 435)].into();
        let code = |c: &str| row.get(c).copied();
        let found: Vec<_> = broken("Exit.csv", code, |_| false).collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].then, "DestinationSubsidyType");
        assert_eq!(
            found[0].reason(435),
            "a value is required when Destination is 435"
        );
        assert_eq!(
            broken("Exit.csv", code, |c| c == "DestinationSubsidyType").count(),
            0
        );
        let other: HashMap<&str, i32> = [("Destination", 101)].into();
        assert_eq!(
            broken("Exit.csv", |c| other.get(c).copied(), |_| false).count(),
            0
        );
    }

    #[test]
    fn every_condition_names_columns_of_its_file_in_the_spec() {
        // The spec's files are the server's; here: no rule repeats, none is circular.
        for (i, a) in CONDITIONS.iter().enumerate() {
            assert_ne!(a.when, a.then);
            assert!(CONDITIONS[i + 1..].iter().all(|b| b != a), "{a:?} twice");
        }
        let survivor = of_file("HealthAndDV.csv").filter(|c| c.when == "DomesticViolenceSurvivor");
        assert_eq!(survivor.count(), 2);
    }
}
