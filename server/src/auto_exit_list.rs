//! `hearth auto-exit --dry-run`'s list: every household the sweep would exit (or
//! skip, and why), as a table on the terminal and, with `--csv`, as a file for the
//! agency liaisons to review before the sweep runs.

use std::collections::HashMap;
use std::path::Path;

use app::features::auto_exit::sweep::Listed;

/// The columns, as the table and the CSV head them.
pub const COLUMNS: [&str; 9] = [
    "Project",
    "Head of household",
    "Head PersonalID",
    "Members",
    "Last service",
    "Last contact",
    "Last bed night",
    "Exit date",
    "Skipped because",
];

/// One listed household as text, in [`COLUMNS`] order.
pub fn rows(listed: &[Listed], names: &HashMap<String, String>) -> Vec<[String; 9]> {
    let name = |id: &String| names.get(id).cloned().unwrap_or_else(|| id.clone());
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    listed
        .iter()
        .map(|l| {
            [
                l.project_name.clone(),
                name(&l.head_personal_id),
                l.head_personal_id.clone(),
                l.member_ids.iter().map(name).collect::<Vec<_>>().join("; "),
                date(l.last_service),
                date(l.last_contact),
                date(l.last_bed_night),
                date(l.exit_date),
                l.skipped.clone().unwrap_or_default(),
            ]
        })
        .collect()
}

/// The rows as an aligned text table (the PersonalID column left out: the CSV has it).
pub fn table(rows: &[[String; 9]]) -> String {
    const SHOWN: [usize; 8] = [0, 1, 3, 4, 5, 6, 7, 8];
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([COLUMNS[i].len()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = SHOWN.iter().map(|&i| width(i)).collect();
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(SHOWN.iter().map(|&i| COLUMNS[i]).collect());
    for row in rows {
        out.push_str(&line(SHOWN.iter().map(|&i| row[i].as_str()).collect()));
    }
    out
}

/// Writes the rows, with a header line, as CSV.
pub fn write_csv(path: &Path, rows: &[[String; 9]]) -> Result<(), csv::Error> {
    let mut writer = csv::Writer::from_path(path)?;
    writer.write_record(COLUMNS)?;
    for row in rows {
        writer.write_record(row)?;
    }
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed() -> Listed {
        Listed {
            project_name: "Outreach".into(),
            household_id: "h".into(),
            head_personal_id: "p1".into(),
            member_ids: vec!["p1".into(), "p2".into()],
            last_service: chrono::NaiveDate::from_ymd_opt(2026, 1, 2),
            last_contact: None,
            last_bed_night: None,
            exit_date: chrono::NaiveDate::from_ymd_opt(2026, 1, 2),
            skipped: None,
        }
    }

    #[test]
    fn rows_name_every_member_head_first() {
        let names = HashMap::from([("p1".to_string(), "Ann Lee".to_string())]);
        let rows = rows(&[listed()], &names);
        assert_eq!(rows[0][1], "Ann Lee");
        assert_eq!(rows[0][3], "Ann Lee; p2", "an unnamed member shows its ID");
        assert_eq!(rows[0][7], "2026-01-02");
        let table = table(&rows);
        assert!(table.starts_with("Project   Head of household"), "{table}");
        assert!(
            table.lines().nth(1).is_some_and(|l| l.contains("Ann Lee; p2")),
            "{table}"
        );
    }
}
