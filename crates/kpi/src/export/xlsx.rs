//! XLSX (rust_xlsxwriter): one sheet per table, its header bold and frozen, numbers kept as
//! numbers with their decimals; the report's heading above the first table. Text is always
//! written as a string, never as a formula.

use std::collections::HashSet;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::Error;
use crate::document::{Cell, Document, Table};

/// Excel's limits on a sheet's name: 31 characters, none of `[]:*?/\`, unique in the book.
pub fn sheet_name(title: &str, taken: &mut HashSet<String>) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .collect();
    let clean = clean.trim().trim_matches('\'');
    let base: String = clean.chars().take(31).collect();
    let base = if base.is_empty() {
        "Sheet".to_owned()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.to_lowercase()) {
        let suffix = format!(" ({n})");
        let keep = 31 - suffix.chars().count();
        name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        n += 1;
    }
    name
}

fn number_format(decimals: u8) -> Format {
    if decimals == 0 {
        Format::new().set_num_format("#,##0")
    } else {
        Format::new().set_num_format(format!("#,##0.{}", "0".repeat(usize::from(decimals))))
    }
}

/// Writes `table` from `first_row` down; answers the row after it.
fn write_table(sheet: &mut Worksheet, table: &Table, first_row: u32) -> Result<u32, XlsxError> {
    let bold = Format::new().set_bold();
    for (col, column) in (0u16..).zip(&table.columns) {
        sheet.write_string_with_format(first_row, col, &column.label, &bold)?;
        let width = column.label.chars().count().clamp(10, 48);
        sheet.set_column_width(col, width as f64 + 2.0)?;
    }
    sheet.set_freeze_panes(first_row + 1, 0)?;
    let mut row = first_row + 1;
    for cells in &table.rows {
        for (col, value) in (0u16..).zip(cells) {
            match value {
                Cell::Text(text) => {
                    sheet.write_string(row, col, text)?;
                }
                Cell::Number(v, decimals) => {
                    sheet.write_number_with_format(row, col, *v, &number_format(*decimals))?;
                }
                Cell::Empty => {}
            }
        }
        row += 1;
    }
    Ok(row)
}

pub fn document(doc: &Document) -> Result<Vec<u8>, Error> {
    let mut book = Workbook::new();
    let mut taken = HashSet::new();
    let title = Format::new().set_bold().set_font_size(14);
    for (i, table) in doc.tables.iter().enumerate() {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(&table.title, &mut taken))?;
        let mut row = 0;
        if i == 0 {
            sheet.write_string_with_format(0, 0, &doc.title, &title)?;
            sheet.write_string(1, 0, &doc.company)?;
            sheet.write_string(2, 0, &doc.period)?;
            sheet.write_string(2, 1, doc.from.to_rfc3339())?;
            sheet.write_string(2, 2, doc.to.to_rfc3339())?;
            row = 3;
            for (label, value) in &doc.filters {
                sheet.write_string(row, 0, label)?;
                sheet.write_string(row, 1, value)?;
                row += 1;
            }
            sheet.write_string(row, 0, &doc.generated_at)?;
            row += 2;
        }
        write_table(sheet, table, row)?;
    }
    if doc.tables.is_empty() {
        book.add_worksheet()
            .write_string_with_format(0, 0, &doc.title, &title)?;
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_respect_excel() {
        let mut taken = HashSet::new();
        assert_eq!(
            sheet_name("Arrêts par cause", &mut taken),
            "Arrêts par cause"
        );
        assert_eq!(sheet_name("a/b [c]?", &mut taken), "a-b -c--");
        let long = "Demande → début des travaux, médiane (h)";
        let first = sheet_name(long, &mut taken);
        assert_eq!(first.chars().count(), 31);
        let second = sheet_name(long, &mut taken);
        assert!(
            second.ends_with(" (2)") && second.chars().count() == 31,
            "{second}"
        );
        assert_eq!(sheet_name("  ", &mut taken), "Sheet");
    }
}
