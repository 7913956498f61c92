//! Finding a client before creating one: search keys and what a search box means.
//!
//! Names are matched on their first letters (the field's habit is "first three of the
//! first name, first three of the last name", e.g. `joh smi`), case- and
//! accent-insensitively, against keys stored beside the names.

use chrono::NaiveDate;

/// The stored search key of a name (`first_name_key`, `last_name_key`): lower case,
/// accents removed, spaces trimmed.
pub fn search_key(name: &str) -> String {
    name.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(fold_accent)
        .collect()
}

/// The letter without its accent (Latin letters; everything else unchanged).
fn fold_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'ī' | 'į' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' | 'ő' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ñ' | 'ń' | 'ň' => 'n',
        'ç' | 'ć' | 'č' => 'c',
        'ś' | 'š' | 'ş' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        'ł' => 'l',
        'ř' => 'r',
        'ď' => 'd',
        'ť' => 't',
        'ğ' => 'g',
        other => other,
    }
}

/// A name prefix as searched: the search key of what was typed (letters, apostrophes,
/// hyphens and spaces only, so never a pattern character), at most 30 of them. `None` when
/// nothing searchable is left.
pub fn name_prefix(typed: &str) -> Option<String> {
    let key: String = search_key(typed)
        .chars()
        .filter(|c| c.is_alphabetic() || matches!(c, '\'' | '-' | ' '))
        .take(30)
        .collect();
    (!key.is_empty()).then_some(key)
}

/// The smallest string greater than every string that starts with `prefix` (for an
/// indexed range scan `prefix <= key < upper`); `None` if there is none.
pub fn prefix_upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = (last as u32).checked_add(1).and_then(char::from_u32) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// What a client search asks for. Every part given must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientQuery {
    /// An exact client ID (PersonalID).
    pub personal_id: Option<String>,
    /// The last eight characters of a client ID, as the short ID people read shows
    /// them (lowercase hexadecimal).
    pub short_id: Option<String>,
    /// First-name prefix (search key).
    pub first: Option<String>,
    /// Last-name prefix (search key).
    pub last: Option<String>,
    pub dob: Option<NaiveDate>,
    /// The SSN's last four digits.
    pub ssn_last4: Option<String>,
}

impl ClientQuery {
    pub fn is_empty(&self) -> bool {
        self == &ClientQuery::default()
    }
}

/// Reads what was typed into a search box:
///
/// - a client ID (32 hexadecimal characters) → that client;
/// - a short client ID (`9C21-A27D`, see [`short_client_id`]) → the clients whose ID
///   ends so (one, but for a rare coincidence);
/// - four digits → SSN last four;
/// - a date (`2001-03-14`, `3/14/2001`, `03/14/2001`) → date of birth;
/// - words → first and last name prefixes: "joh smi" is first "joh", last "smi";
///   "smith, john" is last "smith", first "john"; a single word is a last name.
///
/// Parts combine: `joh smi 1985-02-03` or `smi 1234`.
pub fn parse_query(typed: &str) -> ClientQuery {
    let mut query = ClientQuery::default();
    let typed = typed.trim();
    if is_personal_id(typed) {
        query.personal_id = Some(typed.to_ascii_lowercase());
        return query;
    }
    if is_short_client_id(typed) {
        query.short_id = Some(typed.replace('-', "").to_ascii_lowercase());
        return query;
    }
    let comma = typed.contains(',');
    let mut words = Vec::new();
    for token in typed
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
    {
        if token.len() == 4 && token.chars().all(|c| c.is_ascii_digit()) {
            query.ssn_last4 = Some(token.to_string());
        } else if let Some(date) = parse_date(token) {
            query.dob = Some(date);
        } else if let Some(word) = name_prefix(token) {
            words.push(word);
        }
    }
    match words.len() {
        0 => {}
        1 => query.last = words.pop(),
        _ => {
            let (a, b) = (words[0].clone(), words[words.len() - 1].clone());
            if comma {
                query.last = Some(a);
                query.first = Some(b);
            } else {
                query.first = Some(a);
                query.last = Some(b);
            }
        }
    }
    query
}

/// A client ID as Hearth makes them: 32 hexadecimal characters.
pub fn is_personal_id(text: &str) -> bool {
    text.len() == 32 && text.chars().all(|c| c.is_ascii_hexdigit())
}

/// The client ID people read, say on the phone and type into the search: the last
/// eight of Hearth's 32 hexadecimal characters in two groups ("9C21-A27D"; the first
/// ones are a time stamp, shared by clients entered in the same minute, the last ones
/// random). An ID of another shape (imported from another HMIS) is shown as it is.
/// The full ID stays in addresses and the HUD CSV export.
pub fn short_client_id(personal_id: &str) -> String {
    if is_personal_id(personal_id) {
        let tail = personal_id[SHORT_ID_FROM..].to_ascii_uppercase();
        format!("{}-{}", &tail[..4], &tail[4..])
    } else {
        personal_id.to_string()
    }
}

/// Where the short ID starts in a client ID (0-based; SQL's `substr` counts from 1).
pub const SHORT_ID_FROM: usize = 24;

/// Typed text in the shape of [`short_client_id`].
pub fn is_short_client_id(text: &str) -> bool {
    text.len() == 9
        && text
            .char_indices()
            .all(|(i, c)| if i == 4 { c == '-' } else { c.is_ascii_hexdigit() })
}

/// A date typed as ISO (`2001-03-14`) or US (`3/14/2001`).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%m/%d/%Y"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keys_are_lower_case_without_accents() {
        assert_eq!(search_key("María"), "maria");
        assert_eq!(search_key("Ibáñez"), "ibanez");
        assert_eq!(search_key("Begić"), "begic");
        assert_eq!(search_key("O'Brien"), "o'brien");
        assert_eq!(search_key(" Ángel "), "angel");
        assert_eq!(search_key("ŁUKASZ"), "lukasz");
    }

    #[test]
    fn the_short_client_id_is_the_random_end_of_the_id() {
        let id = "019b0a2c3d4e7f6a8a1b2c3d9c21a27d";
        assert_eq!(short_client_id(id), "9C21-A27D");
        assert_eq!(
            short_client_id("HMIS-77"),
            "HMIS-77",
            "an imported ID stays as it is"
        );
        let q = parse_query(" 9C21-a27d ");
        assert_eq!(q.short_id.as_deref(), Some("9c21a27d"));
        assert!(q.first.is_none() && q.last.is_none() && q.ssn_last4.is_none());
        assert!(!is_short_client_id("9C21A27D") && !is_short_client_id("9C21-A27G"));
    }

    proptest! {
        #[test]
        fn every_short_client_id_finds_its_client(id in "[0-9a-f]{32}") {
            let q = parse_query(&short_client_id(&id));
            let short = q.short_id.expect("a short ID");
            prop_assert_eq!(&id[SHORT_ID_FROM..], short.as_str());
        }
    }

    #[test]
    fn three_and_three_is_first_then_last() {
        let q = parse_query("Joh Smi");
        assert_eq!(q.first.as_deref(), Some("joh"));
        assert_eq!(q.last.as_deref(), Some("smi"));
        let q = parse_query("smith, joh");
        assert_eq!(q.first.as_deref(), Some("joh"));
        assert_eq!(q.last.as_deref(), Some("smith"));
        let q = parse_query("Ramírez");
        assert_eq!((q.first, q.last.as_deref()), (None, Some("ramirez")));
    }

    #[test]
    fn digits_and_dates_and_ids() {
        let q = parse_query("smi 1234 3/14/1985");
        assert_eq!(q.ssn_last4.as_deref(), Some("1234"));
        assert_eq!(q.dob, NaiveDate::from_ymd_opt(1985, 3, 14));
        assert_eq!(q.last.as_deref(), Some("smi"));
        let q = parse_query("1985-03-14");
        assert_eq!(q.dob, NaiveDate::from_ymd_opt(1985, 3, 14));
        let id = "de01000000000000000000000000002a";
        assert_eq!(parse_query(id).personal_id.as_deref(), Some(id));
        assert!(parse_query("   ").is_empty());
    }

    #[test]
    fn upper_bound_of_a_prefix() {
        assert_eq!(prefix_upper_bound("smi").as_deref(), Some("smj"));
        assert_eq!(prefix_upper_bound("").as_deref(), None);
    }

    proptest! {
        #[test]
        fn every_name_is_found_by_its_own_prefix(name in "[A-Za-zÁÉÍÓÚáéíóúñÑ' -]{1,20}", cut in 1usize..6) {
            let key = search_key(&name);
            let typed: String = name.trim().chars().take(cut).collect();
            if let Some(prefix) = name_prefix(&typed) {
                prop_assert!(key.starts_with(&prefix), "{key} starts with {prefix}");
                let upper = prefix_upper_bound(&prefix).unwrap();
                prop_assert!(prefix.as_str() <= key.as_str() && key.as_str() < upper.as_str());
            }
        }

        #[test]
        fn case_and_accents_do_not_matter(name in "[a-z]{1,12}") {
            prop_assert_eq!(search_key(&name.to_uppercase()), search_key(&name));
        }
    }
}
