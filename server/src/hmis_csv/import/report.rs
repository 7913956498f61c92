//! The import report: every cell and row of an export that breaks the HMIS CSV
//! specification, and what the import did about it. Counted in full by file, kind and
//! action; listed one by one up to [`MAX_KEPT`] (memory stays bounded however dirty the
//! export), SSNs never shown.

use std::collections::BTreeMap;

use app::features::hmis_import::api::{FindingAction, FindingCount, FindingKind, ImportFinding};

/// Findings listed one by one; the rest are counted.
pub const MAX_KEPT: usize = 100_000;
/// A value longer than this is cut in the report (never in the data).
const VALUE_CHARS: usize = 200;
/// Columns whose values the report never shows.
const HIDDEN: [&str; 1] = ["SSN"];

#[derive(Debug, Default)]
pub struct Report {
    kept: Vec<ImportFinding>,
    counts: BTreeMap<(String, FindingKind, FindingAction), u64>,
    total: u64,
}

impl Report {
    pub fn add(&mut self, mut finding: ImportFinding) {
        self.total += 1;
        *self
            .counts
            .entry((finding.file.clone(), finding.kind, finding.action))
            .or_default() += 1;
        if self.kept.len() < MAX_KEPT {
            finding.value = shown(finding.column.as_deref(), finding.value.take());
            self.kept.push(finding);
        }
    }

    /// The findings listed one by one, by file (in import order) and line.
    pub fn kept(&self) -> &[ImportFinding] {
        &self.kept
    }

    pub fn into_kept(self) -> Vec<ImportFinding> {
        self.kept
    }

    /// Every finding counted.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Counts by file, kind and action.
    pub fn counts(&self) -> Vec<FindingCount> {
        self.counts
            .iter()
            .map(|((file, kind, action), count)| FindingCount {
                file: file.clone(),
                kind: *kind,
                action: *action,
                count: *count,
            })
            .collect()
    }

    /// Counts of one kind, over every file.
    pub fn count(&self, kind: FindingKind) -> u64 {
        self.counts
            .iter()
            .filter(|((_, k, _), _)| *k == kind)
            .map(|(_, n)| n)
            .sum()
    }
}

/// The value as the report shows it.
fn shown(column: Option<&str>, value: Option<String>) -> Option<String> {
    let value = value?;
    if column.is_some_and(|c| HIDDEN.contains(&c)) {
        return Some("(not shown)".into());
    }
    if value.chars().count() > VALUE_CHARS {
        let cut: String = value.chars().take(VALUE_CHARS).collect();
        return Some(format!("{cut}…"));
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(column: &str, value: &str) -> ImportFinding {
        ImportFinding {
            file: "Client.csv".into(),
            line: 2,
            column: Some(column.into()),
            value: Some(value.into()),
            kind: FindingKind::TooLong,
            action: FindingAction::StoredEmpty,
            message: "longer".into(),
        }
    }

    #[test]
    fn counts_everything_lists_the_first_and_never_shows_an_ssn() {
        let mut report = Report::default();
        report.add(finding("SSN", "123456789012"));
        report.add(finding("FirstName", &"a".repeat(300)));
        for _ in 0..MAX_KEPT {
            report.add(finding("LastName", "b"));
        }
        assert_eq!(report.total(), MAX_KEPT as u64 + 2);
        assert_eq!(report.kept().len(), MAX_KEPT);
        assert_eq!(report.kept()[0].value.as_deref(), Some("(not shown)"));
        assert_eq!(
            report.kept()[1].value.as_ref().map(|v| v.chars().count()),
            Some(201)
        );
        assert_eq!(report.counts().len(), 1);
        assert_eq!(report.count(FindingKind::TooLong), MAX_KEPT as u64 + 2);
    }
}
