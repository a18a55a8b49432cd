//! Workbooks that people read and compute with: title lines saying what the sheet is (the unit, the
//! date, the period), a header row, then typed cells (numbers as numbers, dates as Excel dates,
//! shares as percentages) so that a sum or a sort in Excel works without retyping.

use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::{Result, StoreError};

/// One cell of a report sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Count(i64),
    /// A number with decimals (a reported value), shown with up to two.
    Number(f64),
    /// A share in percent (37.16 for 37,16 %), shown with two decimals.
    Percent(f64),
    Date(NaiveDate),
    Empty,
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_string())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<Option<NaiveDate>> for Cell {
    fn from(date: Option<NaiveDate>) -> Cell {
        date.map_or(Cell::Empty, Cell::Date)
    }
}

/// A sheet as a person reads it: what it is about, then a table with a bold header and an optional
/// bold total row.
#[derive(Debug, Clone, Default)]
pub struct ReportSheet {
    /// The sheet's tab name (Excel allows 31 characters, no `[]:*?/\`).
    pub name: String,
    /// Lines above the table: the title, then the unit, the date and the period.
    pub title: Vec<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub total: Option<Vec<Cell>>,
}

/// Writes report sheets into one workbook.
pub fn report_xlsx(sheets: &[ReportSheet]) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    for sheet in sheets {
        write_sheet(book.add_worksheet(), sheet).map_err(xlsx_error)?;
    }
    book.save_to_buffer().map_err(xlsx_error)
}

fn xlsx_error(e: XlsxError) -> StoreError {
    StoreError::File(format!("xlsx: {e}"))
}

/// A tab name Excel accepts: forbidden characters replaced, cut at 31 characters.
fn sheet_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect();
    if clean.trim().is_empty() {
        "Sheet1".to_string()
    } else {
        clean
    }
}

fn write_sheet(out: &mut Worksheet, sheet: &ReportSheet) -> std::result::Result<(), XlsxError> {
    out.set_name(sheet_name(&sheet.name))?;
    let title = Format::new().set_bold().set_font_size(13);
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let plain = Format::new().set_border(rust_xlsxwriter::FormatBorder::Thin);
    let bold = plain.clone().set_bold();
    let mut row: u32 = 0;
    for (i, line) in sheet.title.iter().enumerate() {
        let format = if i == 0 { &title } else { &Format::new() };
        out.write_string_with_format(row, 0, super::files::fit_cell(line), format)?;
        row += 1;
    }
    if !sheet.title.is_empty() {
        row += 1;
    }
    for (c, h) in sheet.headers.iter().enumerate() {
        out.write_string_with_format(row, c as u16, super::files::fit_cell(h), &header)?;
    }
    let first_data = row + 1;
    let lines = sheet
        .rows
        .iter()
        .map(|cells| (cells, &plain))
        .chain(sheet.total.iter().map(|cells| (cells, &bold)));
    for (r, (cells, format)) in lines.enumerate() {
        let at = first_data + r as u32;
        for (c, cell) in cells.iter().enumerate() {
            write_cell(out, at, c as u16, cell, format)?;
        }
    }
    // Each column as wide as what it holds (names, headers), within reason, so that nothing needs
    // resizing by hand.
    for c in 0..sheet.headers.len() {
        let widest = sheet
            .rows
            .iter()
            .take(500)
            .chain(sheet.total.iter())
            .filter_map(|cells| cells.get(c))
            .map(|cell| match cell {
                Cell::Text(text) => text.chars().count(),
                Cell::Date(_) => 10,
                _ => 8,
            })
            .chain(std::iter::once(sheet.headers[c].chars().count().min(24)))
            .max()
            .unwrap_or(8);
        out.set_column_width(c as u16, (widest as f64 + 2.0).clamp(6.0, 50.0))?;
    }
    if !sheet.headers.is_empty() {
        out.set_freeze_panes(first_data, 0)?;
    }
    Ok(())
}

fn write_cell(
    out: &mut Worksheet,
    row: u32,
    column: u16,
    cell: &Cell,
    format: &Format,
) -> std::result::Result<(), XlsxError> {
    match cell {
        Cell::Text(text) => {
            out.write_string_with_format(row, column, super::files::fit_cell(text), format)?;
        }
        Cell::Count(n) => {
            let format = format.clone().set_num_format("#,##0");
            out.write_number_with_format(row, column, *n as f64, &format)?;
        }
        Cell::Number(n) => {
            let format = format.clone().set_num_format("#,##0.##");
            out.write_number_with_format(row, column, *n, &format)?;
        }
        Cell::Percent(p) => {
            let format = format.clone().set_num_format("0.00%");
            out.write_number_with_format(row, column, p / 100.0, &format)?;
        }
        Cell::Date(date) => {
            let format = format.clone().set_num_format("dd/mm/yyyy");
            match excel_date(*date) {
                Some(value) => out.write_datetime_with_format(row, column, &value, &format)?,
                // Excel has no dates before 1900: such a date stays readable as text.
                None => out.write_string_with_format(
                    row,
                    column,
                    dangbo_domain::text::format_date(*date),
                    &format,
                )?,
            };
        }
        Cell::Empty => {
            out.write_blank(row, column, format)?;
        }
    }
    Ok(())
}

fn excel_date(date: NaiveDate) -> Option<ExcelDateTime> {
    use chrono::Datelike;
    if date.year() < 1900 {
        return None;
    }
    let year = u16::try_from(date.year()).ok()?;
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_names_are_ones_excel_accepts() {
        assert_eq!(sheet_name("Đảng viên 31/12/2021"), "Đảng viên 31-12-2021");
        assert_eq!(sheet_name(&"x".repeat(40)).chars().count(), 31);
        assert_eq!(sheet_name(" "), "Sheet1");
    }

    #[test]
    fn dates_excel_cannot_hold_are_written_as_text() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(excel_date(day(1850, 1, 1)).is_none());
        assert!(excel_date(day(1899, 12, 31)).is_none());
        assert!(excel_date(day(1930, 2, 3)).is_some());
        let bytes = report_xlsx(&[ReportSheet {
            name: "x".into(),
            headers: vec!["Ngày".into()],
            rows: vec![
                vec![Cell::Date(day(1850, 1, 1))],
                vec![Cell::Date(day(1930, 2, 3))],
            ],
            ..ReportSheet::default()
        }])
        .unwrap();
        assert!(bytes.starts_with(b"PK"));
    }
}
