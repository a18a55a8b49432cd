//! Import files read into rows of text, and tables written out, with the limits an import file
//! must keep: no file can make the server allocate more than its limits allow.

use std::fmt;
use std::path::Path;

use dangbo_domain::input::MAX_CELL_CHARS;
use dangbo_domain::text::{clean, format_int};

use crate::{Result, StoreError};

/// A file's format, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn of(path: &Path) -> Result<Format> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => Ok(Format::Csv),
            Some("xlsx") => Ok(Format::Xlsx),
            _ => Err(StoreError::File(format!(
                "{}: chỉ nhận tệp .csv hoặc .xlsx",
                path.display()
            ))),
        }
    }
}

/// The largest import file: a whole province's members fit in several files of this size.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes of the file as uploaded (CSV, or XLSX compressed).
    pub file_bytes: u64,
    /// Data rows, after the header.
    pub rows: usize,
    /// Columns (the formats have at most 18; the rest leaves room for notes of one's own).
    pub columns: usize,
}

pub const LIMITS: Limits = Limits {
    file_bytes: 64 * 1024 * 1024,
    rows: 200_000,
    columns: 100,
};

/// A cell's name as a spreadsheet shows it, from zero-based row and column: (0, 0) is A1.
pub fn cell_name(row: usize, column: usize) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(char::from(b'A' + rest as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

/// A file read into rows of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    /// (row number as the spreadsheet shows it, cells).
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Reads a CSV or XLSX file within [`LIMITS`]. Empty rows are skipped; cells are cleaned (NFC,
/// white space collapsed).
pub fn read_table(path: &Path) -> Result<Table> {
    let file_error = |e: &dyn fmt::Display| StoreError::File(format!("{}: {e}", path.display()));
    let format = Format::of(path)?;
    let size = std::fs::metadata(path).map_err(|e| file_error(&e))?.len();
    if size > LIMITS.file_bytes {
        return Err(file_error(&format!(
            "tệp nặng {} MB, tối đa {} MB; hãy chia thành nhiều tệp",
            size.div_ceil(1024 * 1024),
            LIMITS.file_bytes / 1024 / 1024
        )));
    }
    let mut lines = match format {
        Format::Csv => read_csv(path),
        Format::Xlsx => super::xlsx::read_rows(path),
    }
    .map_err(|e| file_error(&e))?;
    if lines.is_empty() {
        return Err(file_error(&"tệp trống, cần dòng tiêu đề"));
    }
    let headers: Vec<String> = lines.remove(0).1.iter().map(|h| clean(h)).collect();
    let rows = lines
        .into_iter()
        .map(|(number, cells)| {
            let mut cells: Vec<String> = cells.iter().map(|c| clean(c)).collect();
            // Spreadsheets leave out empty cells at the end of a row.
            if cells.len() < headers.len() {
                cells.resize(headers.len(), String::new());
            }
            (number, cells)
        })
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
        .collect();
    Ok(Table { headers, rows })
}

/// The non-empty lines of a CSV file (comma or semicolon separated, UTF-8 with or without BOM).
fn read_csv(path: &Path) -> std::result::Result<Vec<(usize, Vec<String>)>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| "tệp CSV phải mã hóa UTF-8 (trong Excel: Lưu thành CSV UTF-8)".to_string())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = guess_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| e.to_string())?;
        if index > LIMITS.rows {
            return Err(format!(
                "tệp có hơn {} dòng dữ liệu; hãy chia thành nhiều tệp",
                format_int(LIMITS.rows as i64)
            ));
        }
        if record.len() > LIMITS.columns {
            return Err(format!(
                "dòng {} có {} cột, tối đa {}",
                index + 1,
                record.len(),
                LIMITS.columns
            ));
        }
        let cells: Vec<String> = record.iter().map(uncsv_cell).collect();
        if let Some((column, long)) = cells
            .iter()
            .enumerate()
            .map(|(column, cell)| (column, cell.chars().count()))
            .find(|(_, length)| *length > MAX_CELL_CHARS)
        {
            return Err(format!(
                "ô {} dài {} ký tự, tối đa {} ký tự một ô",
                cell_name(index, column),
                format_int(long as i64),
                format_int(MAX_CELL_CHARS as i64)
            ));
        }
        // Row numbers as a spreadsheet opening the file shows them: one row per record, whatever
        // the line endings (CRLF, lone CR) and however many lines a quoted cell spans.
        out.push((index + 1, cells));
    }
    Ok(out)
}

/// Semicolons when the header line has more of them than commas (Excel's CSV in locales with a
/// decimal comma), counting only outside quoted cells; commas otherwise.
fn guess_delimiter(text: &str) -> u8 {
    let (mut quoted, mut semicolons, mut commas) = (false, 0, 0);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ';' if !quoted => semicolons += 1,
            ',' if !quoted => commas += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

/// An Excel workbook of one sheet: a bold header row, then the rows as text. A value longer than a
/// cell holds is cut at the cell's limit with a mark, so one value never fails a whole export.
pub fn xlsx_bytes<H: AsRef<str>, R: AsRef<[String]>>(headers: &[H], rows: &[R]) -> Result<Vec<u8>> {
    let xlsx_error = |e: rust_xlsxwriter::XlsxError| StoreError::File(format!("xlsx: {e}"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, fit_cell(h.as_ref()), &bold)
            .map_err(xlsx_error)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.as_ref().iter().enumerate() {
            sheet
                .write_string((r + 1) as u32, c as u16, fit_cell(value))
                .map_err(xlsx_error)?;
        }
    }
    book.save_to_buffer().map_err(xlsx_error)
}

/// A value cut to what a spreadsheet cell holds, ending with "…" when cut. Excel counts UTF-16
/// units (a character outside the basic plane, like an emoji, is two), and so does the writer.
pub(super) fn fit_cell(value: &str) -> std::borrow::Cow<'_, str> {
    if value.encode_utf16().count() <= MAX_CELL_CHARS {
        return value.into();
    }
    let mut units = 0;
    let end = value
        .char_indices()
        .find(|(_, c)| {
            units += c.len_utf16();
            // One unit stays for the mark.
            units > MAX_CELL_CHARS - 1
        })
        .map_or(value.len(), |(end, _)| end);
    format!("{}…", &value[..end]).into()
}

/// What a CSV cell may start with that a spreadsheet would run as a formula, and the apostrophe
/// that marks a cell as text (so that a value starting with one survives the round trip).
const NEUTRALISED_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// A CSV cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage
/// return first) is written with a leading apostrophe, which spreadsheets show as text; so is a
/// value that itself starts with an apostrophe, so that reading it back keeps it.
pub fn csv_cell(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(NEUTRALISED_STARTS) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// Reads back what [`csv_cell`] wrote: the apostrophe it added goes.
fn uncsv_cell(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(NEUTRALISED_STARTS) => rest.to_string(),
        _ => cell.to_string(),
    }
}

/// Writes a table as CSV (UTF-8 with a BOM, so Excel reads Vietnamese correctly) or XLSX.
pub fn write_table(table: &Table, path: &Path) -> Result<()> {
    let file_error = |e: &dyn fmt::Display| StoreError::File(format!("{}: {e}", path.display()));
    let bytes = match Format::of(path)? {
        Format::Csv => csv_bytes(&table.headers, table.rows.iter().map(|(_, r)| r))?,
        Format::Xlsx => {
            let rows: Vec<&[String]> = table.rows.iter().map(|(_, r)| r.as_slice()).collect();
            xlsx_bytes(&table.headers, &rows)?
        }
    };
    std::fs::write(path, bytes).map_err(|e| file_error(&e))
}

/// A CSV file's bytes: UTF-8 with a BOM, formula-leading cells neutralised.
pub fn csv_bytes<'a, H: AsRef<str>, R: AsRef<[String]> + 'a>(
    headers: &[H],
    rows: impl IntoIterator<Item = &'a R>,
) -> Result<Vec<u8>> {
    let csv_error = |e: csv::Error| StoreError::File(format!("csv: {e}"));
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    {
        // Every cell quoted: a header with a semicolon is then not read as semicolon-separated.
        let mut writer = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Always)
            .from_writer(&mut bytes);
        writer
            .write_record(headers.iter().map(|h| csv_cell(h.as_ref()).into_owned()))
            .map_err(csv_error)?;
        for row in rows {
            writer
                .write_record(row.as_ref().iter().map(|c| csv_cell(c).into_owned()))
                .map_err(csv_error)?;
        }
        writer
            .flush()
            .map_err(|e| StoreError::File(format!("csv: {e}")))?;
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_spreadsheets_do() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(4, 25), "Z5");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn formula_leading_csv_cells_are_written_as_text() {
        for risky in ["=1+1", "+84 912", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_cell(risky), format!("'{risky}"));
        }
        assert_eq!(csv_cell("Nguyễn Văn An"), "Nguyễn Văn An");
        assert_eq!(csv_cell("0912 345 678"), "0912 345 678");
        for value in ["=1+1", "+84 912", "'quoted", "'=1", "''", "An"] {
            assert_eq!(uncsv_cell(&csv_cell(value)), value, "round trip");
        }
    }

    #[test]
    fn a_value_longer_than_a_cell_is_cut_with_a_mark() {
        let exact = "ễ".repeat(MAX_CELL_CHARS);
        assert_eq!(fit_cell(&exact), exact.as_str());
        let longer = "ễ".repeat(MAX_CELL_CHARS + 5);
        let cut = fit_cell(&longer);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with('…'));
        // Excel's limit is in UTF-16 units: an emoji takes two.
        let astral = "😀".repeat(MAX_CELL_CHARS / 2 + 1);
        let cut = fit_cell(&astral);
        assert!(cut.encode_utf16().count() <= MAX_CELL_CHARS);
        assert!(cut.ends_with('…'));
    }
}
