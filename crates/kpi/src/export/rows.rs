//! Long lists (work orders, equipment, plans) written row by row, in constant memory: CSV in
//! chunks a response can stream as they come, XLSX through rust_xlsxwriter's constant-memory
//! worksheet (rows go to a temporary file; the workbook is zipped at the end). Text is made
//! inert for spreadsheets (see [`super::neutralise`]); instants are RFC 3339 in UTC.

use chrono::{DateTime, SecondsFormat, Utc};
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::{Error, neutralise};

/// One cell of a list.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Integer(i64),
    Instant(DateTime<Utc>),
    Empty,
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Value::Text(text)
    }
}

impl From<Option<String>> for Value {
    fn from(text: Option<String>) -> Self {
        text.map_or(Value::Empty, Value::Text)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Integer(n)
    }
}

impl From<Option<i32>> for Value {
    fn from(n: Option<i32>) -> Self {
        n.map_or(Value::Empty, |n| Value::Integer(i64::from(n)))
    }
}

impl From<DateTime<Utc>> for Value {
    fn from(at: DateTime<Utc>) -> Self {
        Value::Instant(at)
    }
}

impl From<Option<DateTime<Utc>>> for Value {
    fn from(at: Option<DateTime<Utc>>) -> Self {
        at.map_or(Value::Empty, Value::Instant)
    }
}

/// `2026-03-29T06:00:00Z`.
pub fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn text(value: &Value) -> String {
    match value {
        Value::Text(text) => neutralise(text).into_owned(),
        Value::Integer(n) => n.to_string(),
        Value::Instant(at) => instant(*at),
        Value::Empty => String::new(),
    }
}

/// The start of a CSV file: the byte-order mark and the header line.
pub fn csv_header(columns: &[&str]) -> Result<Vec<u8>, Error> {
    let mut w = super::csv::writer(Vec::new())?;
    w.write_record(columns)?;
    w.into_inner().map_err(|e| Error::Io(e.into_error()))
}

/// Rows as CSV lines, to append to [`csv_header`].
pub fn csv_rows(rows: &[Vec<Value>]) -> Result<Vec<u8>, Error> {
    let mut w = ::csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        w.write_record(row.iter().map(text))?;
    }
    w.into_inner().map_err(|e| Error::Io(e.into_error()))
}

/// The most rows a worksheet holds, its header included.
pub const XLSX_MAX_ROWS: u32 = 1_048_576;

/// A workbook of one list, written row by row.
pub struct XlsxRows {
    book: Workbook,
    sheet: Worksheet,
    next_row: u32,
    width: u16,
}

impl XlsxRows {
    /// A workbook whose one sheet is `name`, its header `columns` (bold, frozen).
    pub fn new(name: &str, columns: &[&str]) -> Result<XlsxRows, Error> {
        let mut book = Workbook::new();
        let mut sheet = book.new_worksheet_with_constant_memory()?;
        sheet.set_name(name)?;
        let bold = Format::new().set_bold();
        for (col, label) in (0u16..).zip(columns) {
            sheet.write_string_with_format(0, col, *label, &bold)?;
            sheet.set_column_width(col, (label.len() as f64 + 2.0).max(12.0))?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(XlsxRows {
            book,
            sheet,
            next_row: 1,
            width: u16::try_from(columns.len()).unwrap_or(u16::MAX),
        })
    }

    /// Rows that still fit.
    pub fn room(&self) -> u32 {
        XLSX_MAX_ROWS - self.next_row
    }

    /// Appends a row; false when the sheet is full (nothing written).
    pub fn push(&mut self, row: &[Value]) -> Result<bool, Error> {
        if self.room() == 0 {
            return Ok(false);
        }
        for (col, value) in (0u16..self.width).zip(row) {
            match value {
                Value::Text(text) => {
                    self.sheet
                        .write_string(self.next_row, col, neutralise(text).as_ref())?;
                }
                Value::Integer(n) => {
                    self.sheet.write_number(self.next_row, col, *n as f64)?;
                }
                Value::Instant(at) => {
                    self.sheet.write_string(self.next_row, col, instant(*at))?;
                }
                Value::Empty => {}
            }
        }
        self.next_row += 1;
        Ok(true)
    }

    /// Zips the workbook into `out`.
    pub fn finish<W: std::io::Write + std::io::Seek + Send>(mut self, out: W) -> Result<(), Error> {
        self.book.push_worksheet(self.sheet);
        self.book.save_to_writer(out)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_inert_and_instants_are_utc() -> Result<(), Box<dyn std::error::Error>> {
        let header = csv_header(&["number", "title", "created_at", "minutes"])?;
        assert!(header.starts_with(b"\xEF\xBB\xBFnumber,title,created_at,minutes\n"));
        let at = DateTime::parse_from_rfc3339("2026-03-29T08:00:00+02:00")?.with_timezone(&Utc);
        let rows = csv_rows(&[vec![
            Value::Text("BT-2026-00001".into()),
            Value::Text("=HYPERLINK(\"http://x\")".into()),
            Value::Instant(at),
            Value::Integer(90),
        ]])?;
        assert_eq!(
            String::from_utf8(rows)?,
            "BT-2026-00001,\"'=HYPERLINK(\"\"http://x\"\")\",2026-03-29T06:00:00Z,90\n"
        );
        Ok(())
    }

    #[test]
    fn a_workbook_is_written_row_by_row() -> Result<(), Box<dyn std::error::Error>> {
        let mut book = XlsxRows::new("Bons", &["number", "minutes"])?;
        for n in 0..1000 {
            assert!(book.push(&[Value::Text(format!("BT-{n}")), Value::Integer(n)])?);
        }
        assert_eq!(book.room(), XLSX_MAX_ROWS - 1001);
        let mut out = std::io::Cursor::new(Vec::new());
        book.finish(&mut out)?;
        let bytes = out.into_inner();
        // A zip (xlsx) with the sheet in it.
        assert!(bytes.starts_with(b"PK"));
        assert!(bytes.len() > 1000);
        Ok(())
    }
}
