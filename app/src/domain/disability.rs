//! 4.05–4.10 Disabilities: the answer to each type comes from its own HUD list, and
//! "yes" means different codes in each. Substance use disorder (4.10, type 10) is
//! answered from list 4.10.2 — 1 alcohol, 2 drug, 3 both — every other type from 1.8
//! (no / yes / reasons for missing data).

use super::codes::{CodeList, DISABILITY_RESPONSE, NO_YES_REASONS_FOR_MISSING_DATA};

/// 1.3 DisabilityType 10: substance use disorder.
pub const SUBSTANCE_USE: i32 = 10;

/// The list a DisabilityResponse of `disability_type` is answered from.
pub fn responses(disability_type: i32) -> &'static CodeList {
    if disability_type == SUBSTANCE_USE {
        &DISABILITY_RESPONSE
    } else {
        &NO_YES_REASONS_FOR_MISSING_DATA
    }
}

/// Whether `response` says the client has a disability of `disability_type`.
pub fn is_yes(disability_type: i32, response: i32) -> bool {
    if disability_type == SUBSTANCE_USE {
        (1..=3).contains(&response)
    } else {
        response == 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substance_use_is_answered_from_its_own_list() {
        let labels: Vec<&str> = responses(SUBSTANCE_USE).values.iter().map(|c| c.label).collect();
        assert!(labels.contains(&"Alcohol use disorder"), "{labels:?}");
        assert!(
            labels.contains(&"Both alcohol and drug use disorders"),
            "{labels:?}"
        );
        assert!(responses(5).label(1).is_some_and(|l| l == "Yes"));
        for response in [1, 2, 3] {
            assert!(is_yes(SUBSTANCE_USE, response));
        }
        assert!(!is_yes(SUBSTANCE_USE, 0));
        assert!(!is_yes(SUBSTANCE_USE, 99));
        assert!(is_yes(9, 1));
        assert!(!is_yes(9, 2), "2 is not a 1.8 answer");
    }
}
