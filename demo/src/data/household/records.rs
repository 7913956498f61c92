//! Per-member records drawn once and carried through the stages: disabilities,
//! income and benefits, domestic violence, education.

use super::tables::OTHER_INCOME_TEXT;
use super::{
    ALIMONY, BENEFITS, CHILD_SUPPORT, COBRA, DISABILITY_TYPES, Disabilities, DomesticViolence, EARNED,
    EMPLOYER, Finances, GA, INCOME_SOURCES, INDIAN_HEALTH, INSURANCES, MEDICAID, MEDICARE, OTHER_BENEFITS,
    OTHER_INCOME, OTHER_INSURANCE, PENSION, PRIVATE_DISABILITY, PRIVATE_PAY, SCHIP, SNAP, SOC_SEC_RETIREMENT,
    SSDI, SSI, STATE_INSURANCE, TANF, UNEMPLOYMENT, VA_NON_SERVICE, VA_SERVICE, VHA, WIC, WORKERS_COMP,
};
use crate::data::dice::Dice;

/// A monthly amount in cents between two whole-dollar bounds.
pub(super) fn cents(dice: &mut Dice, low_dollars: i64, high_dollars: i64) -> u32 {
    u32::try_from(dice.range(low_dollars * 100, high_dollars * 100)).unwrap_or(0)
}

/// 4.20.D applies to referrals to openings: events 10-15, 17 and 18.
pub fn takes_referral_result(event: i32) -> bool {
    matches!(event, 10..=15 | 17 | 18)
}

pub(super) fn disabilities(dice: &mut Dice, adult: bool) -> Disabilities {
    if dice.chance(0.01) {
        let code = dice.pick(&[8, 9, 99]);
        return Disabilities {
            responses: [code; 6],
            indefinite: [None; 6],
        };
    }
    // Physical, developmental, chronic health, HIV/AIDS, mental health, substance use.
    let p = if adult {
        [0.16, 0.04, 0.16, 0.015, 0.32, 0.22]
    } else {
        [0.03, 0.05, 0.06, 0.001, 0.08, 0.0]
    };
    let mut responses = [0; 6];
    let mut indefinite = [None; 6];
    for i in 0..6 {
        let yes = dice.chance(p[i]);
        responses[i] = if DISABILITY_TYPES[i] == 10 {
            if yes {
                dice.weighted(&[(1, 30), (2, 40), (3, 30)])
            } else {
                0
            }
        } else {
            i32::from(yes)
        };
        if dice.chance(0.005) {
            responses[i] = dice.pick(&[8, 9, 99]);
        }
        let asked = matches!(DISABILITY_TYPES[i], 5 | 7 | 9 | 10)
            && app::domain::disability::is_yes(DISABILITY_TYPES[i], responses[i]);
        if asked {
            indefinite[i] = Some(dice.weighted(&[(1, 70), (0, 27), (8, 1), (9, 1), (99, 1)]));
        }
    }
    Disabilities {
        responses,
        indefinite,
    }
}

#[allow(clippy::too_many_arguments)] // one call site; the flags read better than a struct
pub(super) fn finances(
    dice: &mut Dice,
    adult: bool,
    age: i64,
    veteran: bool,
    disabilities: &Disabilities,
    parent: bool,
    parent_of_young_child: bool,
    american_indian: bool,
) -> Finances {
    let disabled = disabilities.disabling_condition() == 1;
    let mut income_cents = [0u32; INCOME_SOURCES];
    let mut other_income_identify = None;
    let mut benefits = [false; BENEFITS];
    let mut other_benefits_identify = None;
    let (income_from_any_source, benefits_from_any_source) = if adult {
        // 4.02 is collected (0 or 1) for all but a few adults (8, 9, 99).
        let collected = dice.weighted(&[(1, 950), (8, 20), (9, 15), (99, 15)]);
        let income_any = if collected == 1 {
            let has_income = dice.chance(0.45);
            if has_income {
                if dice.chance(0.45) && age < 67 {
                    income_cents[EARNED] = cents(dice, 300, 2600);
                }
                if disabled && dice.chance(0.35) {
                    income_cents[if dice.chance(0.5) { SSI } else { SSDI }] = if dice.chance(0.5) {
                        cents(dice, 914, 967)
                    } else {
                        cents(dice, 800, 1900)
                    };
                }
                if veteran && dice.chance(0.3) {
                    income_cents[VA_SERVICE] = cents(dice, 171, 3700);
                }
                if veteran && dice.chance(0.05) {
                    income_cents[VA_NON_SERVICE] = cents(dice, 1000, 1600);
                }
                if age >= 62 && dice.chance(0.5) {
                    income_cents[SOC_SEC_RETIREMENT] = cents(dice, 900, 2200);
                }
                if parent && dice.chance(0.15) {
                    income_cents[TANF] = cents(dice, 200, 500);
                }
                if parent && dice.chance(0.1) {
                    income_cents[CHILD_SUPPORT] = cents(dice, 100, 600);
                }
                for (source, p, low, high) in [
                    (UNEMPLOYMENT, 0.04, 400, 1600),
                    (GA, 0.03, 100, 300),
                    (PENSION, 0.02, 200, 1500),
                    (ALIMONY, 0.005, 200, 800),
                    (WORKERS_COMP, 0.01, 400, 1500),
                    (PRIVATE_DISABILITY, 0.01, 400, 1500),
                    (OTHER_INCOME, 0.03, 50, 500),
                ] {
                    if dice.chance(p) {
                        income_cents[source] = cents(dice, low, high);
                    }
                }
                if income_cents.iter().all(|c| *c == 0) {
                    income_cents[if dice.chance(0.6) { EARNED } else { OTHER_INCOME }] =
                        cents(dice, 100, 1200);
                }
                if income_cents[OTHER_INCOME] > 0 {
                    other_income_identify = Some(dice.pick(OTHER_INCOME_TEXT));
                }
            }
            i32::from(has_income)
        } else {
            collected
        };
        let benefits_any = if dice.chance(0.02) {
            dice.pick(&[8, 9, 99])
        } else {
            benefits[SNAP] = dice.chance(0.55);
            benefits[WIC] = parent_of_young_child && dice.chance(0.4);
            benefits[2] = parent && dice.chance(0.03);
            benefits[3] = dice.chance(0.01);
            benefits[4] = parent && dice.chance(0.03);
            benefits[OTHER_BENEFITS] = dice.chance(0.02);
            if benefits[OTHER_BENEFITS] {
                other_benefits_identify = Some(dice.pick(&["LIHEAP", "Food pantry voucher"]));
            }
            i32::from(benefits.iter().any(|b| *b))
        };
        (Some(income_any), Some(benefits_any))
    } else {
        (None, None)
    };
    let mut insurance = [false; INSURANCES];
    let mut other_insurance_identify = None;
    let insurance_any = if dice.chance(0.02) {
        dice.pick(&[8, 9, 99])
    } else {
        if adult {
            insurance[MEDICAID] = dice.chance(0.5);
            insurance[MEDICARE] =
                (age >= 65 && dice.chance(0.9)) || (income_cents[SSDI] > 0 && dice.chance(0.6));
            insurance[VHA] = veteran && dice.chance(0.5);
            insurance[EMPLOYER] = income_cents[EARNED] > 0 && dice.chance(0.12);
            insurance[COBRA] = dice.chance(0.005);
            insurance[PRIVATE_PAY] = dice.chance(0.02);
            insurance[STATE_INSURANCE] = dice.chance(0.03);
        } else {
            insurance[MEDICAID] = dice.chance(0.8);
            insurance[SCHIP] = !insurance[MEDICAID] && dice.chance(0.5);
        }
        insurance[INDIAN_HEALTH] = american_indian && dice.chance(0.4);
        insurance[OTHER_INSURANCE] = dice.chance(0.01);
        if insurance[OTHER_INSURANCE] {
            other_insurance_identify = Some("Marketplace plan");
        }
        i32::from(insurance.iter().any(|i| *i))
    };
    Finances {
        income_from_any_source,
        income_cents,
        other_income_identify,
        benefits_from_any_source,
        benefits,
        other_benefits_identify,
        insurance_from_any_source: insurance_any,
        insurance,
        other_insurance_identify,
    }
}

pub(super) fn domestic_violence(dice: &mut Dice, fleeing: bool) -> DomesticViolence {
    if fleeing {
        return DomesticViolence {
            survivor: 1,
            when_occurred: Some(dice.weighted(&[(1, 80), (2, 15), (3, 5)])),
            currently_fleeing: Some(1),
        };
    }
    let survivor = dice.weighted(&[(0, 78), (1, 18), (8, 1), (9, 2), (99, 1)]);
    DomesticViolence {
        survivor,
        when_occurred: (survivor == 1)
            .then(|| dice.weighted(&[(1, 10), (2, 10), (3, 15), (4, 60), (8, 2), (9, 3)])),
        currently_fleeing: (survivor == 1).then(|| dice.weighted(&[(0, 85), (1, 12), (9, 2), (99, 1)])),
    }
}

/// R4.1 LastGradeCompleted and R5.1 SchoolStatus for someone `age` years old.
pub(super) fn education(dice: &mut Dice, age: i64) -> (i32, i32) {
    if age < 18 {
        return (99, 99);
    }
    let grade = if dice.chance(0.02) {
        dice.pick(&[8, 9, 99])
    } else if age <= 24 {
        dice.weighted(&[(3, 5), (4, 30), (5, 35), (7, 12), (10, 15), (14, 3)])
    } else {
        dice.weighted(&[
            (3, 2),
            (4, 18),
            (5, 35),
            (7, 12),
            (10, 15),
            (11, 5),
            (12, 4),
            (13, 1),
            (14, 4),
            (2, 2),
            (6, 2),
        ])
    };
    let school = match grade {
        8 | 9 | 99 => grade,
        7 => 4,
        5 | 10..=14 => 3,
        _ if age <= 24 && dice.chance(0.4) => dice.pick(&[1, 2]),
        _ => dice.weighted(&[(5, 80), (6, 5), (7, 5), (3, 10)]),
    };
    (grade, school)
}
