//! A [`Document`](crate::document::Document) written as a file: CSV, XLSX or PDF.
//!
//! Text that a spreadsheet would run as a formula (a cell starting with `=`, `+`, `-` or `@`,
//! or a tab or carriage return, OWASP's list) is written with a leading apostrophe in CSV and
//! always as a string in XLSX, so an equipment named `=HYPERLINK(…)` stays a name.

pub mod csv;
mod helvetica;
pub mod pdf;
pub mod rows;
pub mod xlsx;

/// The formats a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Csv,
    Xlsx,
    Pdf,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }

    pub fn parse(raw: &str) -> Option<Format> {
        match raw {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Pdf => "application/pdf",
        }
    }
}

/// Writes `document` in `format`.
pub fn render(document: &crate::document::Document, format: Format) -> Result<Vec<u8>, Error> {
    match format {
        Format::Csv => csv::document(document),
        Format::Xlsx => xlsx::document(document),
        Format::Pdf => pdf::document(document),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("writing CSV: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("writing XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("writing the file: {0}")]
    Io(#[from] std::io::Error),
}

/// Whether a spreadsheet would read `text` as a formula (or a command).
pub fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `text`, made inert for a spreadsheet: a leading apostrophe where it looks like a formula.
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(text) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_made_inert() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+33 1 23"), "'+33 1 23");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tcmd"), "'\tcmd");
        assert_eq!(neutralise("Pompe P-101"), "Pompe P-101");
        assert_eq!(neutralise(""), "");
    }
}
