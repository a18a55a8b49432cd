//! Reading an XLSX workbook with every size checked before anything is allocated for it.
//!
//! An XLSX is a zip of XML parts. A hostile one can declare a cell at XFD1048576 (a reader that
//! fills the rectangle allocates hundreds of gigabytes), reserve room for 10¹² shared strings, or
//! compress a gigabyte of one letter into a few kilobytes. So: the zip's parts are measured by
//! decompressing them into nothing (real sizes, not the declared ones) and refused past the limits;
//! the shared-string count is read before the reader reserves room for it; and cells are read one
//! by one, each checked against the row, column and length limits.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx};
use dangbo_domain::input::MAX_CELL_CHARS;
use dangbo_domain::text::format_int;

use super::files::{LIMITS, cell_name};

/// Parts held in memory while reading (shared strings, styles, the workbook) may be this large
/// once decompressed; worksheets are streamed and may be larger.
const HELD_PART_BYTES: u64 = 256 * 1024 * 1024;
const SHEET_PART_BYTES: u64 = 512 * 1024 * 1024;
/// All parts together.
const TOTAL_PART_BYTES: u64 = 1024 * 1024 * 1024;
/// The text of all cells together (a shared string used by many cells counts each time), so that
/// a small file cannot repeat one long string into gigabytes.
const CELL_TEXT_BYTES: usize = 256 * 1024 * 1024;
/// Real spreadsheets compress 5–30 times; a bomb compresses thousands of times.
const MAX_RATIO: u64 = 100;
/// Parts smaller than this are not judged by their ratio (tiny XML compresses very well).
const RATIO_FROM_BYTES: u64 = 1024 * 1024;
const MAX_PARTS: usize = 10_000;
/// More distinct strings than a file within the row and column limits can use.
const MAX_SHARED_STRINGS: u64 = (LIMITS.rows as u64 + 1) * LIMITS.columns as u64;

/// The first worksheet's non-empty rows: (row number as shown, cells), in row order.
pub(super) fn read_rows(path: &Path) -> Result<Vec<(usize, Vec<String>)>, String> {
    let open = || {
        File::open(path)
            .map(BufReader::new)
            .map_err(|e| e.to_string())
    };
    check_parts(open()?)?;
    let mut book: Xlsx<_> =
        Xlsx::new(open()?).map_err(|e| format!("không đọc được tệp XLSX: {e}"))?;
    let sheet = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| "tệp không có trang tính nào".to_string())?;
    let mut cells = book
        .worksheet_cells_reader(&sheet)
        .map_err(|e| format!("không đọc được trang tính «{sheet}»: {e}"))?;
    let mut rows: std::collections::BTreeMap<u32, Vec<String>> = Default::default();
    let mut text_bytes = 0usize;
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| format!("không đọc được trang tính «{sheet}»: {e}"))?
    {
        let (row, column) = cell.get_position();
        let name = cell_name(row as usize, column as usize);
        if row as usize > LIMITS.rows || column as usize >= LIMITS.columns {
            return Err(format!(
                "ô {name} nằm ngoài giới hạn của tệp nhập: tối đa {} dòng dữ liệu và {} cột; \
                 hãy chia tệp hoặc xóa các ô thừa",
                format_int(LIMITS.rows as i64),
                LIMITS.columns
            ));
        }
        // A string is measured before it is copied (a character takes at most 4 bytes).
        let raw_bytes = match cell.get_value() {
            DataRef::SharedString(s) => s.len(),
            DataRef::String(s) => s.len(),
            _ => 0,
        };
        if raw_bytes > MAX_CELL_CHARS * 4 {
            return Err(format!(
                "ô {name} dài hơn {} ký tự một ô",
                format_int(MAX_CELL_CHARS as i64)
            ));
        }
        let text = cell_text(cell.get_value()).map_err(|problem| format!("ô {name}: {problem}"))?;
        if text.is_empty() {
            continue;
        }
        text_bytes += text.len();
        if text_bytes > CELL_TEXT_BYTES {
            return Err(format!(
                "các ô của tệp chứa hơn {} MB chữ (đến ô {name}); hãy chia thành nhiều tệp",
                CELL_TEXT_BYTES / 1024 / 1024
            ));
        }
        let length = text.chars().count();
        if length > MAX_CELL_CHARS {
            return Err(format!(
                "ô {name} dài {} ký tự, tối đa {} ký tự một ô",
                format_int(length as i64),
                format_int(MAX_CELL_CHARS as i64)
            ));
        }
        let cells = rows.entry(row).or_default();
        if cells.len() <= column as usize {
            cells.resize(column as usize + 1, String::new());
        }
        cells[column as usize] = text;
    }
    Ok(rows
        .into_iter()
        .map(|(row, cells)| (row as usize + 1, cells))
        .collect())
}

/// A cell as text; dates as `yyyy-mm-dd`.
fn cell_text(value: &DataRef<'_>) -> Result<String, String> {
    Ok(match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        // Written as a Vietnamese reader reads numbers (`85,5`): a dot would read as thousands.
        DataRef::Float(f) => f.to_string().replace('.', ","),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) => {
            let serial = dt.as_f64();
            // Excel's own range of dates: 1900 (or 1904) to 9999-12-31.
            if !(serial.is_finite() && (0.0..2_958_466.0).contains(&serial)) {
                return Err(format!("giá trị ngày {serial} không phải là ngày có thật"));
            }
            let (year, month, day, ..) = dt.to_ymd_hms_milli();
            chrono::NaiveDate::from_ymd_opt(year.into(), month.into(), day.into())
                .ok_or_else(|| format!("{day:02}/{month:02}/{year} không phải là ngày có thật"))?
                .format("%Y-%m-%d")
                .to_string()
        }
        DataRef::Error(e) => format!("#{e:?}"),
    })
}

/// A part's name as the reader looks it up: case-insensitive, with `\` as `/`.
fn normalised(name: &str) -> String {
    name.replace('\\', "/").to_lowercase()
}

/// Measures every part of the zip by decompressing it into nothing, checks every cell reference,
/// and reads the shared-string count, refusing the file past any limit. Nothing is decompressed
/// past the total limit.
fn check_parts<R: Read + Seek>(reader: R) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(reader)
        .map_err(|e| format!("không phải tệp XLSX (tệp zip) đọc được: {e}"))?;
    if zip.len() > MAX_PARTS {
        return Err(format!(
            "tệp XLSX có {} phần, tối đa {MAX_PARTS}",
            format_int(zip.len() as i64)
        ));
    }
    // Parts sharing their compressed bytes make a small file inflate many times over.
    if zip
        .has_overlapping_files()
        .map_err(|e| format!("tệp XLSX hỏng: {e}"))?
    {
        return Err(
            "tệp XLSX có các phần dùng chung dữ liệu nén: không phải tệp bảng tính thật".into(),
        );
    }
    let mut names = std::collections::HashSet::new();
    let mut shared = Vec::new();
    let mut total: u64 = 0;
    for index in 0..zip.len() {
        let part = zip
            .by_index(index)
            .map_err(|e| format!("tệp XLSX hỏng: {e}"))?;
        let name = part
            .name()
            .map_err(|e| format!("tệp XLSX hỏng: {e}"))?
            .to_string();
        // The reader finds parts ignoring case: two names that read the same are ambiguous.
        let key = normalised(&name);
        if !names.insert(key.clone()) {
            return Err(format!("tệp XLSX có hai phần cùng tên «{name}»"));
        }
        if key.ends_with("sharedstrings.xml") {
            shared.push(index);
        }
        let compressed = part.compressed_size();
        let remaining = TOTAL_PART_BYTES - total;
        let limit = if key.starts_with("xl/worksheets/") {
            SHEET_PART_BYTES
        } else {
            HELD_PART_BYTES
        }
        .min(remaining);
        // Read one byte past the limit, so a part that lies about its size is caught too.
        let mut counted = Counted {
            inner: part.take(limit + 1),
            bytes: 0,
        };
        // Any part may be what the workbook names as a sheet: every one is checked.
        check_references(BufReader::new(&mut counted), &name, key.ends_with(".xml"))?;
        std::io::copy(&mut counted, &mut std::io::sink())
            .map_err(|e| format!("tệp XLSX hỏng ở phần «{name}»: {e}"))?;
        let size = counted.bytes;
        if size > limit {
            return Err(format!(
                "tệp XLSX giải nén ra hơn {} MB (phần «{name}»), quá giới hạn",
                (limit + total) / 1024 / 1024
            ));
        }
        if size > RATIO_FROM_BYTES && size / compressed.max(1) > MAX_RATIO {
            return Err(format!(
                "phần «{name}» của tệp XLSX nén {} lần (từ {} lên {} byte): tệp bảng tính thật \
                 không nén được như vậy, tệp có thể là «bom nén»",
                size / compressed.max(1),
                format_int(compressed as i64),
                format_int(size as i64)
            ));
        }
        total += size;
    }
    for index in shared {
        let part = zip
            .by_index(index)
            .map_err(|e| format!("tệp XLSX hỏng: {e}"))?;
        if let Some(count) = declared_string_count(BufReader::new(part))?
            && count > MAX_SHARED_STRINGS
        {
            return Err(format!(
                "tệp XLSX khai báo {} chuỗi, tối đa {}",
                format_int(count.min(i64::MAX as u64) as i64),
                format_int(MAX_SHARED_STRINGS as i64)
            ));
        }
    }
    Ok(())
}

/// A reader that counts the bytes read through it.
struct Counted<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.bytes += read as u64;
        Ok(read)
    }
}

/// Excel's last row and column (XFD1048576).
const EXCEL_ROWS: u64 = 1_048_576;
const EXCEL_COLUMNS: u64 = 16_384;

/// A cell reference (`B7`) as zero-based (row, column), if it is one inside Excel's sheet.
fn cell_reference(text: &str) -> Option<(u64, u64)> {
    let letters = text.bytes().take_while(u8::is_ascii_uppercase).count();
    let (column, row) = text.split_at(letters);
    if !(1..=3).contains(&letters) || row.is_empty() || row.len() > 7 {
        return None;
    }
    let column = column
        .bytes()
        .fold(0u64, |n, letter| n * 26 + u64::from(letter - b'A') + 1);
    let row: u64 = row
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| row.parse().ok())??;
    ((1..=EXCEL_ROWS).contains(&row) && column <= EXCEL_COLUMNS).then(|| (row - 1, column - 1))
}

/// Checks every cell, row and dimension reference of a worksheet before the reader computes with
/// them: a reference past XFD1048576 (or not one at all) would overflow its arithmetic.
/// Parts that are not XML (images) are skipped at their first syntax error; an XML part must parse.
fn check_references<R: std::io::BufRead>(
    reader: R,
    part: &str,
    must_parse: bool,
) -> Result<(), String> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(reader);
    let mut buffer = Vec::new();
    let broken = |e: &dyn std::fmt::Display| format!("tệp XLSX hỏng ở phần «{part}»: {e}");
    let refused = |what: &str, text: &str| {
        format!("tệp XLSX có {what} «{text}» không hợp lệ: trang tính chỉ đến ô XFD1048576")
    };
    loop {
        let event = match xml.read_event_into(&mut buffer) {
            Ok(event) => event,
            Err(e) if must_parse => return Err(broken(&e)),
            Err(_) => return Ok(()),
        };
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let element = e.local_name().as_ref().to_string();
                let attribute = match element.as_str() {
                    "c" | "row" => "r",
                    "dimension" => "ref",
                    _ => {
                        buffer.clear();
                        continue;
                    }
                };
                let Some(value) = e.try_get_attribute(attribute).map_err(|e| broken(&e))? else {
                    buffer.clear();
                    continue;
                };
                let text = value.value.trim().to_string();
                let fine = match element.as_str() {
                    "c" => cell_reference(&text).is_some(),
                    "row" => text
                        .parse::<u64>()
                        .is_ok_and(|row| (1..=EXCEL_ROWS).contains(&row)),
                    _ => match text.split_once(':') {
                        None => cell_reference(&text).is_some(),
                        Some((first, last)) => cell_reference(first)
                            .zip(cell_reference(last))
                            .is_some_and(|((r1, c1), (r2, c2))| r1 <= r2 && c1 <= c2),
                    },
                };
                if !fine {
                    let what = match attribute {
                        "ref" => "vùng dữ liệu",
                        _ if element == "row" => "số dòng",
                        _ => "địa chỉ ô",
                    };
                    return Err(refused(what, &text));
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        buffer.clear();
    }
}

/// The `uniqueCount` the shared-strings part declares (a reader reserves room for that many).
fn declared_string_count<R: std::io::BufRead>(reader: R) -> Result<Option<u64>, String> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(reader);
    let mut buffer = Vec::new();
    loop {
        match xml.read_event_into(&mut buffer) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                let Some(count) = e
                    .try_get_attribute("uniqueCount")
                    .map_err(|e| format!("tệp XLSX hỏng (danh sách chuỗi): {e}"))?
                else {
                    return Ok(None);
                };
                let text = count.value.to_string();
                return text
                    .trim()
                    .parse::<u64>()
                    .map(Some)
                    .map_err(|_| format!("tệp XLSX hỏng: số chuỗi «{text}» không phải là số"));
            }
            Ok(Event::Eof) => return Ok(None),
            Err(e) => return Err(format!("tệp XLSX hỏng (danh sách chuỗi): {e}")),
            Ok(_) => buffer.clear(),
        }
    }
}
