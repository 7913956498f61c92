//! The export's CSV text, written byte by byte as HUD writes it: fields quoted only when
//! they must be, dates and timestamps (stored UTC, shown in the CoC's zone), SSNs
//! opened with the data key, and the hashed-PII form (SHA-256, Soundex).

use std::io::Write;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use chrono_tz::Tz;
use sea_orm::sqlx::{Row, postgres::PgRow};
use sha2::{Digest, Sha256};

use super::export::ExportError;
use super::spec::{self, Kind};

use super::rows::*;

/// Where `COPY`'s CSV is between two chunks: inside a quoted field or not.
#[derive(Default)]
pub(super) struct Lines {
    quoted: bool,
}

/// One file's CSV being written: fields of the current row, then whole rows, sent in
/// chunks.
pub(super) struct Csv<'a> {
    /// CSV written and not yet sent.
    bytes: Vec<u8>,
    /// Whether the next field starts a row (no comma before it).
    row_start: bool,
    rows: u64,
    reading: &'a Reading,
    /// The last stored timestamp text of each column and how it was written: rows
    /// written together often share them.
    last_time: Vec<(Vec<u8>, [u8; 19])>,
    number: itoa::Buffer,
    scratch: Vec<u8>,
}

impl<'a> Csv<'a> {
    pub(super) fn new(file: &spec::File, reading: &'a Reading) -> Self {
        let mut csv = Self {
            bytes: Vec::with_capacity(CHUNK + CHUNK / 4),
            row_start: true,
            rows: 0,
            reading,
            last_time: vec![(Vec::new(), [0; 19]); file.columns.len()],
            number: itoa::Buffer::new(),
            scratch: Vec::with_capacity(32),
        };
        for column in &file.columns {
            csv.text(column.name.as_bytes());
        }
        csv.end_record();
        csv
    }

    /// A field that needs no quotes (numbers, dates, times).
    pub(super) fn field(&mut self, bytes: &[u8]) {
        if !std::mem::take(&mut self.row_start) {
            self.bytes.push(b',');
        }
        self.bytes.extend_from_slice(bytes);
    }

    pub(super) fn null(&mut self) {
        self.field(b"");
    }

    /// Text, in double quotes (doubled inside) when it holds a comma, a quote or a
    /// line break (RFC 4180, as HUD's CSV specification asks).
    pub(super) fn text(&mut self, bytes: &[u8]) {
        if !bytes.iter().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
            self.field(bytes);
            return;
        }
        self.field(b"\"");
        for &b in bytes {
            if b == b'"' {
                self.bytes.push(b'"');
            }
            self.bytes.push(b);
        }
        self.bytes.push(b'"');
    }

    pub(super) fn int(&mut self, n: i64) {
        let mut number = std::mem::take(&mut self.number);
        self.field(number.format(n).as_bytes());
        self.number = number;
    }

    pub(super) fn money(&mut self, m: f64) {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let _ = write!(scratch, "{m:.2}");
        self.field(&scratch);
        self.scratch = scratch;
    }

    pub(super) fn date(&mut self, d: NaiveDate) {
        let mut text = [0u8; 10];
        put_date(&mut text, d);
        self.field(&text);
    }

    pub(super) fn timestamp(&mut self, t: DateTime<Utc>) {
        let text = local_text(t, &self.reading.time_zone);
        self.field(&text);
    }

    /// A timestamp as SQLite keeps it (RFC 3339, or `YYYY-MM-DD HH:MM:SS[.f]` in UTC),
    /// in the CoC's local time.
    pub(super) fn stored_timestamp(&mut self, column: usize, stored: &[u8]) -> Result<(), ExportError> {
        let (last, text) = &self.last_time[column];
        if last.as_slice() == stored {
            let text = *text;
            self.field(&text);
            return Ok(());
        }
        let at = std::str::from_utf8(stored)
            .ok()
            .and_then(parse_stored)
            .ok_or_else(|| {
                ExportError::Value(format!(
                    "the database holds a timestamp that cannot be read: {}",
                    String::from_utf8_lossy(stored)
                ))
            })?;
        let text = local_text(at, &self.reading.time_zone);
        self.last_time[column] = (stored.to_vec(), text);
        self.field(&text);
        Ok(())
    }

    /// One column of a PostgreSQL row, decoded as its kind.
    pub(super) fn decoded(&mut self, row: &PgRow, i: usize, kind: Kind) -> Result<(), ExportError> {
        match kind {
            Kind::Integer => match row.try_get::<Option<i32>, _>(i)? {
                Some(n) => self.int(i64::from(n)),
                None => self.null(),
            },
            Kind::Money => match row.try_get::<Option<f64>, _>(i)? {
                Some(m) => self.money(m),
                None => self.null(),
            },
            Kind::Date => match row.try_get::<Option<NaiveDate>, _>(i)? {
                Some(d) => self.date(d),
                None => self.null(),
            },
            Kind::Timestamp => match row.try_get::<Option<DateTime<Utc>>, _>(i)? {
                Some(t) => self.timestamp(t),
                None => self.null(),
            },
            Kind::Text => match row.try_get::<Option<&str>, _>(i)? {
                Some(s) => self.text(s.as_bytes()),
                None => self.null(),
            },
        }
        Ok(())
    }

    pub(super) fn hashed_name(&mut self, name: &str) {
        self.text(hash_pii(true, name).as_bytes());
    }

    pub(super) fn ssn(&mut self, personal_id: &str, sealed: &str) -> Result<(), ExportError> {
        let ssn = open_ssn(&self.reading.data_key, personal_id, sealed)?;
        if self.reading.hash_pii {
            self.text(hash_pii(false, &ssn).as_bytes());
        } else {
            self.text(ssn.as_bytes());
        }
        Ok(())
    }

    /// CSV written by PostgreSQL's `COPY`: copied with each row's LF made CRLF (a line
    /// break inside a quoted field is left as it is) and its rows counted. Answers what
    /// is to be sent now.
    pub(super) fn copied(&mut self, chunk: &[u8], lines: &mut Lines) -> [Option<Piece>; 2] {
        let rows_before = self.rows;
        let mut start = 0;
        for (i, &b) in chunk.iter().enumerate() {
            match b {
                b'"' => lines.quoted = !lines.quoted,
                b'\n' if !lines.quoted => {
                    self.bytes.extend_from_slice(&chunk[start..i]);
                    self.bytes.extend_from_slice(b"\r\n");
                    self.rows += 1;
                    start = i + 1;
                }
                _ => {}
            }
        }
        self.bytes.extend_from_slice(&chunk[start..]);
        let progress =
            (self.rows / PROGRESS_EVERY > rows_before / PROGRESS_EVERY).then_some(Piece::Rows(self.rows));
        let chunk = (self.bytes.len() >= CHUNK).then(|| Piece::Bytes(self.take()));
        [chunk, progress]
    }

    /// Ends the row: answers what is to be sent now (a full chunk, a progress report).
    pub(super) fn end_row(&mut self) -> [Option<Piece>; 2] {
        self.end_record();
        self.rows += 1;
        let progress = self
            .rows
            .is_multiple_of(PROGRESS_EVERY)
            .then_some(Piece::Rows(self.rows));
        let chunk = (self.bytes.len() >= CHUNK).then(|| Piece::Bytes(self.take()));
        [chunk, progress]
    }

    pub(super) fn end_record(&mut self) {
        self.bytes.extend_from_slice(b"\r\n");
        self.row_start = true;
    }

    /// Ends the file: its last bytes and its row count.
    pub(super) fn finish(mut self) -> [Piece; 2] {
        [Piece::Bytes(self.take()), Piece::Done(self.rows)]
    }

    /// The bytes written so far (the buffer starts again, empty).
    pub(super) fn take(&mut self) -> Vec<u8> {
        std::mem::replace(&mut self.bytes, Vec::with_capacity(CHUNK + CHUNK / 4))
    }
}

/// A timestamp SQLite holds: RFC 3339 as sqlx writes it, or SQLite's own
/// `YYYY-MM-DD HH:MM:SS[.fff]` (UTC).
pub(super) fn parse_stored(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
                .ok()
                .map(|t| t.and_utc())
        })
}

/// `YYYY-MM-DD hh:mm:ss` in the CoC's time zone, as HUD writes timestamps.
pub(super) fn local_text(at: DateTime<Utc>, zone: &Tz) -> [u8; 19] {
    let local = at.with_timezone(zone).naive_local();
    let mut text = [0u8; 19];
    put_date(&mut text[..10], local.date());
    text[10] = b' ';
    put_two(&mut text[11..13], local.hour());
    text[13] = b':';
    put_two(&mut text[14..16], local.minute());
    text[16] = b':';
    put_two(&mut text[17..19], local.second());
    text
}

/// `YYYY-MM-DD` into the first 10 bytes (years 0–9999, as HMIS dates are).
pub(super) fn put_date(text: &mut [u8], d: NaiveDate) {
    let year = d.year().clamp(0, 9999) as u32;
    put_two(&mut text[0..2], year / 100);
    put_two(&mut text[2..4], year % 100);
    text[4] = b'-';
    put_two(&mut text[5..7], d.month());
    text[7] = b'-';
    put_two(&mut text[8..10], d.day());
}

pub(super) fn put_two(text: &mut [u8], n: u32) {
    text[0] = b'0' + (n / 10 % 10) as u8;
    text[1] = b'0' + (n % 10) as u8;
}

/// A stored (sealed) SSN in plain text.
pub(super) fn open_ssn(
    key: &app::crypto::DataKey,
    personal_id: &str,
    sealed: &str,
) -> Result<String, ExportError> {
    key.open(sealed, &app::crypto::ssn_context(personal_id))
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| ExportError::DataKey(personal_id.to_string()))
}

/// HUD's hashed export: a name is Soundex-coded, then hashed; the SSN is hashed. Empty
/// stays empty.
pub fn hash_pii(name: bool, value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    let input = if name { soundex(value) } else { value.to_string() };
    let digest = Sha256::digest(input.as_bytes());
    let mut hex = String::with_capacity(64);
    for b in digest {
        let _ = std::fmt::Write::write_fmt(&mut hex, format_args!("{b:02X}"));
    }
    hex
}

/// American Soundex: the first letter, then three digits for the consonant sounds that
/// follow ("Robert" → R163). Letters only; other characters are ignored.
pub fn soundex(name: &str) -> String {
    pub(super) fn digit(c: char) -> Option<char> {
        match c {
            'B' | 'F' | 'P' | 'V' => Some('1'),
            'C' | 'G' | 'J' | 'K' | 'Q' | 'S' | 'X' | 'Z' => Some('2'),
            'D' | 'T' => Some('3'),
            'L' => Some('4'),
            'M' | 'N' => Some('5'),
            'R' => Some('6'),
            _ => None,
        }
    }
    let mut letters = name
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_uppercase());
    let Some(first) = letters.next() else {
        return String::new();
    };
    let mut code = String::from(first);
    let mut last = digit(first);
    for c in letters {
        let d = digit(c);
        if let Some(d) = d
            && Some(d) != last
        {
            code.push(d);
            if code.len() == 4 {
                break;
            }
        }
        // H and W do not separate letters with the same code; vowels do.
        if !matches!(c, 'H' | 'W') {
            last = d;
        }
    }
    while code.len() < 4 {
        code.push('0');
    }
    code
}

#[cfg(test)]
mod tests {
    use sea_orm::Value;

    use super::*;

    #[test]
    fn soundex_codes() {
        for (name, code) in [
            ("Robert", "R163"),
            ("Rupert", "R163"),
            ("Ashcraft", "A261"),
            ("Tymczak", "T522"),
            ("Pfister", "P236"),
            ("Lee", "L000"),
            ("O'Brien", "O165"),
            ("", ""),
        ] {
            assert_eq!(soundex(name), code, "{name}");
        }
    }

    #[test]
    fn hashing_covers_names_and_ssn() {
        let hashed = hash_pii(true, "Robert");
        assert_eq!(hashed.len(), 64);
        assert_eq!(hashed, hash_pii(true, "Rupert"), "same Soundex, same hash");
        assert_ne!(hash_pii(false, "123456789"), "123456789");
        assert_ne!(hash_pii(false, "Robert"), hashed, "an SSN is hashed as it is");
        assert_eq!(hash_pii(true, ""), "");
    }

    #[test]
    fn stored_timestamps_read_in_both_forms_and_written_in_local_time() {
        let chicago: Tz = "America/Chicago".parse().unwrap();
        let rfc = parse_stored("2025-04-18T14:00:00+00:00").unwrap();
        let fraction = parse_stored("2025-04-18T14:00:00.123456+00:00").unwrap();
        let sqlite = parse_stored("2025-04-18 14:00:00").unwrap();
        assert_eq!(rfc, sqlite);
        assert_eq!(rfc.timestamp(), fraction.timestamp());
        assert_eq!(&local_text(rfc, &chicago), b"2025-04-18 09:00:00", "CDT is UTC-5");
        let winter = parse_stored("2025-01-02T03:04:05+00:00").unwrap();
        assert_eq!(
            &local_text(winter, &chicago),
            b"2025-01-01 21:04:05",
            "CST is UTC-6"
        );
        assert_eq!(parse_stored("yesterday"), None);
    }

    /// What a plain export of Organization.csv reads with.
    fn reading() -> Reading {
        Reading {
            export_id: "e1".into(),
            hash_pii: false,
            time_zone: chrono_tz::America::Chicago,
            data_key: app::crypto::DataKey::generate(),
        }
    }

    #[test]
    fn text_is_quoted_only_when_it_must_be() {
        let reading = reading();
        let mut csv = Csv::new(spec::file("Organization.csv").unwrap(), &reading);
        csv.text(b"Shelter, \"North\" wing");
        csv.text(b"plain");
        csv.null();
        csv.int(-12);
        csv.money(1234.5);
        csv.text(b"two\r\nlines");
        let [chunk, progress] = csv.end_row();
        assert!(
            chunk.is_none() && progress.is_none(),
            "a small file is sent at its end"
        );
        let [Piece::Bytes(bytes), Piece::Done(1)] = csv.finish() else {
            panic!("bytes, then one row done");
        };
        let text = String::from_utf8(bytes).unwrap();
        let (header, row) = text.split_once("\r\n").unwrap();
        assert!(header.starts_with("OrganizationID,OrganizationName,"));
        assert_eq!(
            row,
            "\"Shelter, \"\"North\"\" wing\",plain,,-12,1234.50,\"two\r\nlines\"\r\n"
        );
        let parsed: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(row.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(
            parsed[0][0], "Shelter, \"North\" wing",
            "a CSV reader reads back what was written"
        );
        assert_eq!(parsed[0][5], "two\r\nlines");
    }

    #[test]
    fn copied_csv_ends_its_rows_with_crlf_and_counts_them() {
        let reading = reading();
        let mut csv = Csv::new(spec::file("Organization.csv").unwrap(), &reading);
        let header_len = csv.bytes.len();
        let mut lines = Lines::default();
        // A quoted field with a line break, cut between two chunks; a doubled quote.
        for chunk in [&b"o1,\"North\nwing\",1\no2,\"Say \"\"hi"[..], b"\"\"\",0\n"] {
            let [chunk, progress] = csv.copied(chunk, &mut lines);
            assert!(chunk.is_none() && progress.is_none());
        }
        assert_eq!(
            &csv.bytes[header_len..],
            b"o1,\"North\nwing\",1\r\no2,\"Say \"\"hi\"\"\",0\r\n"
        );
        let [_, Piece::Done(2)] = csv.finish() else {
            panic!("two rows");
        };
        assert_eq!(
            pg_inline(
                "a = ? AND b IN (?, ?) AND c = ?",
                &[
                    Value::from("it's"),
                    Value::from(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()),
                    Value::Bool(Some(true)),
                    Value::Int(Some(7)),
                ]
            )
            .unwrap(),
            "a = 'it''s' AND b IN (DATE '2026-01-02', TRUE) AND c = 7"
        );
        assert!(pg_inline("a = ?", &[]).is_err(), "a value missing");
        assert!(
            pg_inline("a = 1", &[Value::Int(Some(1))]).is_err(),
            "a value left over"
        );
        assert!(pg_literal("a\0b").is_err());
    }

    #[test]
    fn dates_are_written_as_hud_writes_them() {
        let mut text = [0u8; 10];
        put_date(&mut text, NaiveDate::from_ymd_opt(987, 3, 4).unwrap());
        assert_eq!(&text, b"0987-03-04");
        put_date(&mut text, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        assert_eq!(&text, b"2026-12-31");
    }
}
