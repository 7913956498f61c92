//! Bounds on what an HMIS CSV import reads, so that no input — a zip bomb, a file of
//! one endless line, a zip that lies about its sizes — can take the memory or the disk:
//! every byte read from the zip passes through `Bounded`, which stops the import with a
//! clear refusal the moment a bound is crossed. Memory stays flat: the CSV reader never
//! holds more than one record, and a record is at most `MAX_RECORD_BYTES`.

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// All files of one export, uncompressed. A 1,000,000-client CoC's export is a few GiB.
pub const MAX_TOTAL_BYTES: u64 = 16 * 1024 * 1024 * 1024;
/// How much larger than its compressed size a file may grow. Real CSV compresses 5–30
/// times; deflate cannot exceed about 1,030.
pub const MAX_RATIO: u64 = 200;
/// Compressed files this small may grow past the ratio (a few rows compress oddly).
const RATIO_FREE_BYTES: u64 = 1024 * 1024;
/// One record (a line, or several lines inside quotes). HMIS rows are a few hundred
/// bytes; the longest cell in the spec is a few thousand.
pub const MAX_RECORD_BYTES: u64 = 64 * 1024;
/// Rows in one file.
pub const MAX_ROWS: u64 = 50_000_000;
/// Entries in one zip (an export has 24 files).
pub const MAX_ENTRIES: usize = 1_000;

/// Why reading stopped, for the user.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct LimitExceeded(pub String);

/// The bytes of the whole archive read so far, shared by every file's reader.
#[derive(Clone, Debug, Default)]
pub struct Budget(Arc<AtomicU64>);

/// A file of the zip, read within the bounds.
pub struct Bounded<R> {
    inner: R,
    file: String,
    budget: Budget,
    /// This file's bytes read, and the most it may have.
    read: u64,
    allowed: u64,
    /// Bytes since the last line break outside quotes.
    record: u64,
    state: Quoting,
}

/// Where the reader is in a CSV field, as the csv crate reads it: a quote opens a
/// quoted field only at the field's start, and only there do line breaks not end the
/// record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the end of it, or the first of `""`.
    QuoteInQuoted,
}

impl<R: Read> Bounded<R> {
    /// `declared` and `compressed` are the sizes the zip states for the file.
    pub fn new(inner: R, file: &str, declared: u64, compressed: u64, budget: Budget) -> Self {
        let by_ratio = compressed.saturating_mul(MAX_RATIO).max(RATIO_FREE_BYTES);
        Bounded {
            inner,
            file: file.to_string(),
            budget,
            read: 0,
            allowed: declared.min(by_ratio),
            record: 0,
            state: Quoting::FieldStart,
        }
    }

    fn refuse(&self, why: String) -> io::Error {
        io::Error::other(LimitExceeded(format!(
            "{}: {why}; nothing was imported",
            self.file
        )))
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.allowed {
            return Err(self.refuse(format!(
                "it unpacks to more than its zip entry allows ({} bytes; a file may grow at most {MAX_RATIO} times its compressed size)",
                self.allowed
            )));
        }
        let total = self.budget.0.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        if total > MAX_TOTAL_BYTES {
            return Err(self.refuse(format!(
                "the export unpacks to more than {} GiB",
                MAX_TOTAL_BYTES >> 30
            )));
        }
        for &byte in &buf[..n] {
            use Quoting::*;
            self.state = match (self.state, byte) {
                (Quoted, b'"') => QuoteInQuoted,
                (Quoted, _) => Quoted,
                (QuoteInQuoted, b'"') => Quoted,
                (FieldStart, b'"') => Quoted,
                (_, b'\n') => {
                    self.record = 0;
                    self.state = FieldStart;
                    continue;
                }
                (_, b',') => FieldStart,
                _ => Unquoted,
            };
            self.record += 1;
            if self.record > MAX_RECORD_BYTES {
                return Err(self.refuse(format!(
                    "a line is longer than {} KiB (HMIS CSV rows are far shorter)",
                    MAX_RECORD_BYTES >> 10
                )));
            }
        }
        Ok(n)
    }
}

/// The refusal inside a CSV error, if a bound stopped the reading.
pub fn exceeded(error: &csv::Error) -> Option<String> {
    match error.kind() {
        csv::ErrorKind::Io(io) => io
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<LimitExceeded>())
            .map(|limit| limit.0.clone()),
        _ => None,
    }
}

/// Checks an entry's name: no absolute path, no `..`, at most one folder deep.
pub fn check_name(name: &str) -> Result<(), String> {
    let parts: Vec<&str> = name.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    if name.starts_with('/') || name.starts_with('\\') || name.contains(':') {
        return Err(format!(
            "the zip holds \"{name}\", an absolute path; nothing was imported"
        ));
    }
    if parts.contains(&"..") {
        return Err(format!(
            "the zip holds \"{name}\", a name that leaves its folder; nothing was imported"
        ));
    }
    if parts.len() > 2 {
        return Err(format!(
            "the zip holds \"{name}\", more than one folder deep: zip the export's files, or their one folder; nothing was imported"
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("the zip holds a file name with control characters; nothing was imported".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(data: &[u8], declared: u64, compressed: u64) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        Bounded::new(data, "Client.csv", declared, compressed, Budget::default())
            .read_to_end(&mut out)
            .map(|_| out)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn ordinary_files_pass() {
        let csv = b"PersonalID,FirstName\n1,\"Ana\nMaria \"\"M\"\"\"\n2,5\" tall\n";
        assert_eq!(read_all(csv, csv.len() as u64, 40).unwrap(), csv);
    }

    #[test]
    fn an_endless_line_is_stopped() {
        let line = vec![b'a'; (MAX_RECORD_BYTES + 10) as usize];
        let err = read_all(&line, line.len() as u64, 100).unwrap_err();
        assert!(err.contains("a line is longer than 64 KiB"), "{err}");
        // A quote opened and never closed is one endless record too.
        let mut quoted = b"1,\"".to_vec();
        quoted.extend(std::iter::repeat_n(b"ab\n", 30_000).flatten());
        assert!(read_all(&quoted, quoted.len() as u64, 100).is_err());
    }

    #[test]
    fn a_stray_quote_inside_a_field_does_not_hide_the_line_breaks() {
        let rows = b"1,5\" tall\n".repeat(20_000);
        assert!(read_all(&rows, rows.len() as u64, rows.len() as u64).is_ok());
    }

    #[test]
    fn a_file_larger_than_its_entry_says_or_than_the_ratio_is_stopped() {
        let rows = b"1,a\n".repeat(1000);
        let err = read_all(&rows, 100, 100).unwrap_err();
        assert!(err.contains("more than its zip entry allows"), "{err}");
        let big = b"1,a\n".repeat(300_000);
        let err = read_all(&big, big.len() as u64, 1000).unwrap_err();
        assert!(err.contains("200 times"), "{err}");
    }

    #[test]
    fn names_stay_inside_one_folder() {
        assert!(check_name("Client.csv").is_ok());
        assert!(check_name("export-2026/Client.csv").is_ok());
        assert!(check_name("../Client.csv").is_err());
        assert!(check_name("a/../../Client.csv").is_err());
        assert!(check_name("/etc/Client.csv").is_err());
        assert!(check_name("C:\\Client.csv").is_err());
        assert!(check_name("a/b/Client.csv").is_err());
    }
}
