//! CSV: RFC 4180, UTF-8 with a byte-order mark (so that Excel reads accents), comma-separated,
//! numbers with a dot and no grouping. A report's tables follow one another, each under its
//! title, separated by an empty line; its heading (title, period, filters) comes first.

use super::{Error, neutralise};
use crate::document::{Cell, Document};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A cell as CSV text: numbers raw (rounded to their decimals), text made inert.
pub fn cell(value: &Cell) -> String {
    match value {
        Cell::Text(text) => neutralise(text).into_owned(),
        Cell::Number(v, decimals) => format!("{v:.*}", usize::from(*decimals)),
        Cell::Empty => String::new(),
    }
}

/// A new CSV writer over `out`, the byte-order mark written.
pub fn writer<W: std::io::Write>(mut out: W) -> std::io::Result<::csv::Writer<W>> {
    out.write_all(BOM)?;
    Ok(::csv::WriterBuilder::new().flexible(true).from_writer(out))
}

pub fn document(doc: &Document) -> Result<Vec<u8>, Error> {
    let mut w = writer(Vec::new())?;
    w.write_record([neutralise(&doc.title).as_ref(), &neutralise(&doc.company)])?;
    w.write_record([
        doc.period.as_str(),
        &doc.from.to_rfc3339(),
        &doc.to.to_rfc3339(),
    ])?;
    for (label, value) in &doc.filters {
        w.write_record([neutralise(label).as_ref(), &neutralise(value)])?;
    }
    for table in &doc.tables {
        w.write_record([""])?;
        w.write_record([neutralise(&table.title).as_ref()])?;
        w.write_record(
            table
                .columns
                .iter()
                .map(|c| neutralise(&c.label).into_owned()),
        )?;
        for row in &table.rows {
            w.write_record(row.iter().map(cell))?;
        }
    }
    w.into_inner().map_err(|e| Error::Io(e.into_error()))
}
