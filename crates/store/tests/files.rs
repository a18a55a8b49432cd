//! Hostile and oversized import files are refused with a message that says why, before the reader
//! allocates for them; files within the limits read as before.

use std::io::Write;
use std::path::{Path, PathBuf};

use dangbo_store::StoreError;
use dangbo_store::access::{LIMITS, Table, read_table, write_table};

/// A workbook of one sheet, built part by part so a test can make any part hostile.
struct Workbook {
    sheet: String,
    shared_strings: Option<String>,
    styles: Option<String>,
    /// Parts stored under another name than the usual one: (usual, stored).
    renamed: Vec<(&'static str, &'static str)>,
    /// Parts added that share the compressed bytes of another: (existing, added).
    shallow_copies: Vec<(&'static str, &'static str)>,
}

const DATE_STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>
</styleSheet>"#;

fn sheet(cells: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{cells}</sheetData></worksheet>"#
    )
}

impl Workbook {
    fn with_sheet(cells: &str) -> Workbook {
        Workbook {
            sheet: sheet(cells),
            shared_strings: None,
            styles: None,
            renamed: Vec::new(),
            shallow_copies: Vec::new(),
        }
    }

    fn write(&self, dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut overrides = String::new();
        let mut relationships = String::from(
            r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#,
        );
        let mut parts = vec![("xl/worksheets/sheet1.xml", self.sheet.as_str())];
        if let Some(strings) = &self.shared_strings {
            overrides.push_str(r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#);
            relationships.push_str(r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
            parts.push(("xl/sharedStrings.xml", strings));
        }
        if let Some(styles) = &self.styles {
            overrides.push_str(r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#);
            relationships.push_str(r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#);
            parts.push(("xl/styles.xml", styles));
        }
        let content_types = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>{overrides}</Types>"#
        );
        let package_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
        let workbook = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
        let workbook_rels = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{relationships}</Relationships>"#
        );
        parts.extend([
            ("[Content_Types].xml", content_types.as_str()),
            ("_rels/.rels", package_rels),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", workbook_rels.as_str()),
        ]);
        for (name, text) in parts {
            let name = self
                .renamed
                .iter()
                .find(|(usual, _)| *usual == name)
                .map_or(name, |(_, stored)| *stored);
            zip.start_file(name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        for (existing, added) in &self.shallow_copies {
            zip.shallow_copy_file(existing, added).unwrap();
        }
        zip.finish().unwrap();
        path
    }
}

fn refusal(path: &Path) -> String {
    match read_table(path) {
        Err(StoreError::File(message)) => message,
        other => panic!("{} should be refused: {other:?}", path.display()),
    }
}

#[test]
fn a_well_formed_workbook_reads_with_its_row_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = Workbook::with_sheet(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Mã</t></is></c><c r="B1" t="inlineStr"><is><t>Ngày</t></is></c></row>
<row r="3"><c r="A3" t="inlineStr"><is><t>A1</t></is></c><c r="B3" s="1"><v>45658</v></c></row>"#,
    );
    let path = Workbook {
        styles: Some(DATE_STYLES.into()),
        ..path
    }
    .write(dir.path(), "ok.xlsx");
    let table = read_table(&path).unwrap();
    assert_eq!(table.headers, vec!["Mã", "Ngày"]);
    assert_eq!(
        table.rows,
        vec![(3, vec!["A1".to_string(), "2025-01-01".to_string()])]
    );
}

#[test]
fn a_cell_far_away_is_refused_before_anything_is_allocated_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = Workbook::with_sheet(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Mã</t></is></c></row>
<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#,
    )
    .write(dir.path(), "far.xlsx");
    let message = refusal(&path);
    assert!(message.contains("XFD1048576"), "{message}");
    assert!(message.contains("200.000"), "names the limit: {message}");
}

#[test]
fn one_row_past_the_limit_is_refused_and_the_last_allowed_row_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let last = LIMITS.rows + 1;
    let cell = |row: usize| {
        format!(r#"<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>x</t></is></c></row>"#)
    };
    let allowed = Workbook::with_sheet(&(cell(1) + &cell(last))).write(dir.path(), "last.xlsx");
    assert_eq!(read_table(&allowed).unwrap().rows[0].0, last);
    let over = Workbook::with_sheet(&(cell(1) + &cell(last + 1))).write(dir.path(), "over.xlsx");
    assert!(refusal(&over).contains(&format!("A{}", last + 1)));
}

#[test]
fn a_compression_bomb_is_refused_by_its_ratio() {
    let dir = tempfile::tempdir().unwrap();
    // Twenty megabytes of one letter compress to about twenty kilobytes.
    let huge = "a".repeat(20 * 1024 * 1024);
    let book = Workbook {
        shared_strings: Some(format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{huge}</t></si></sst>"#
        )),
        ..Workbook::with_sheet(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#)
    };
    let path = book.write(dir.path(), "bomb.xlsx");
    assert!(std::fs::metadata(&path).unwrap().len() < 200 * 1024);
    let message = refusal(&path);
    assert!(
        message.contains("sharedStrings.xml") && message.contains("nén"),
        "{message}"
    );
}

#[test]
fn a_long_cell_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    // Varied text compresses like real text, so only the cell limit refuses it.
    let long: String = (0..40_000u32)
        .map(|i| char::from_u32(0x4E00 + (i * 7919) % 20_000).unwrap())
        .collect();
    let path = Workbook::with_sheet(&format!(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Mã</t></is></c></row><row r="2"><c r="C2" t="inlineStr"><is><t>{long}</t></is></c></row>"#
    ))
    .write(dir.path(), "long.xlsx");
    let message = refusal(&path);
    assert!(
        message.contains("C2") && message.contains("32.767"),
        "{message}"
    );
}

#[test]
fn a_declared_string_count_too_large_is_refused_before_it_is_reserved() {
    let dir = tempfile::tempdir().unwrap();
    let book = Workbook {
        shared_strings: Some(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1000000000000"><si><t>x</t></si></sst>"#
                .into(),
        ),
        ..Workbook::with_sheet(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#)
    };
    let message = refusal(&book.write(dir.path(), "count.xlsx"));
    assert!(message.contains("1.000.000.000.000"), "{message}");
}

#[test]
fn date_cells_outside_the_calendar_are_bad_dates_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    for value in ["1e12", "-1e15", "1e308"] {
        let book = Workbook {
            styles: Some(DATE_STYLES.into()),
            ..Workbook::with_sheet(&format!(
                r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Ngày</t></is></c></row><row r="2"><c r="A2" s="1"><v>{value}</v></c></row>"#
            ))
        };
        let message = refusal(&book.write(dir.path(), "date.xlsx"));
        assert!(
            message.contains("A2") && message.contains("ngày"),
            "{value}: {message}"
        );
    }
}

#[test]
fn a_file_over_the_size_limit_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.csv");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(LIMITS.file_bytes + 1).unwrap();
    let message = refusal(&path);
    assert!(message.contains("MB"), "{message}");
}

#[test]
fn csv_limits_name_the_cell_or_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wide.csv");
    std::fs::write(&path, format!("Mã{}\n", ",x".repeat(LIMITS.columns))).unwrap();
    assert!(refusal(&path).contains("dòng 1"));
    let long = "ễ".repeat(32_768);
    std::fs::write(&path, format!("Mã,Tên\nA1,{long}\n")).unwrap();
    assert!(refusal(&path).contains("B2"));
}

#[test]
fn exports_write_formula_leading_values_as_text_and_read_them_back() {
    let dir = tempfile::tempdir().unwrap();
    let table = Table {
        headers: vec!["Mã".into(), "Ghi chú".into()],
        rows: vec![(2, vec!["A1".into(), "=HYPERLINK(\"http://x\")".into()])],
    };
    let path = dir.path().join("out.csv");
    write_table(&table, &path).unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("'=HYPERLINK"), "{written}");
    assert_eq!(read_table(&path).unwrap(), table);
}

#[test]
fn a_part_named_in_another_case_is_checked_as_the_reader_finds_it() {
    let dir = tempfile::tempdir().unwrap();
    // The reader finds "xl/SharedStrings.xml" as the shared strings; so must the checks.
    let book = Workbook {
        shared_strings: Some(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1000000000000"><si><t>x</t></si></sst>"#
                .into(),
        ),
        renamed: vec![("xl/sharedStrings.xml", "xl/SharedStrings.xml")],
        ..Workbook::with_sheet(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#)
    };
    let message = refusal(&book.write(dir.path(), "case.xlsx"));
    assert!(message.contains("1.000.000.000.000"), "{message}");
    // A sheet stored under another case is checked for references too.
    let book = Workbook {
        renamed: vec![("xl/worksheets/sheet1.xml", "XL/Worksheets/Sheet1.xml")],
        ..Workbook::with_sheet(
            r#"<row r="1"><c r="A4294967296" t="inlineStr"><is><t>x</t></is></c></row>"#,
        )
    };
    let message = refusal(&book.write(dir.path(), "sheet-case.xlsx"));
    assert!(message.contains("A4294967296"), "{message}");
}

#[test]
fn two_parts_that_read_the_same_or_share_their_bytes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cells = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Mã</t></is></c></row>"#;
    let book = Workbook {
        shallow_copies: vec![("xl/worksheets/sheet1.xml", "XL/WORKSHEETS/SHEET1.XML")],
        ..Workbook::with_sheet(cells)
    };
    assert!(refusal(&book.write(dir.path(), "twice.xlsx")).contains("dùng chung"));
    let book = Workbook {
        shallow_copies: vec![("xl/worksheets/sheet1.xml", "xl/worksheets/copy.xml")],
        ..Workbook::with_sheet(cells)
    };
    assert!(refusal(&book.write(dir.path(), "shared.xlsx")).contains("dùng chung"));
}

#[test]
fn one_long_string_repeated_in_many_cells_is_refused_by_the_text_budget() {
    let dir = tempfile::tempdir().unwrap();
    // 30.000 characters of three bytes, in 100 × 100 cells: 900 MB of text from a small file.
    let long: String = (0..30_000u32)
        .map(|i| char::from_u32(0x4E00 + (i * 7919) % 20_000).unwrap())
        .collect();
    let mut cells = String::new();
    for row in 1..=100 {
        cells.push_str(&format!(r#"<row r="{row}">"#));
        for column in 0..100 {
            let name = format!("{}{}", column_name(column), row);
            cells.push_str(&format!(r#"<c r="{name}" t="s"><v>0</v></c>"#));
        }
        cells.push_str("</row>");
    }
    let book = Workbook {
        shared_strings: Some(format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="10000" uniqueCount="1"><si><t>{long}</t></si></sst>"#
        )),
        ..Workbook::with_sheet(&cells)
    };
    let path = book.write(dir.path(), "repeated.xlsx");
    assert!(std::fs::metadata(&path).unwrap().len() < 2 * 1024 * 1024);
    let message = refusal(&path);
    assert!(message.contains("MB chữ"), "{message}");
}

#[test]
fn decompression_stops_at_the_total_limit() {
    let dir = tempfile::tempdir().unwrap();
    // 1.100 parts of one mebibyte each (small enough to escape the ratio check): over 1 GiB.
    let path = dir.path().join("many.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let zeros = vec![0u8; 1024 * 1024];
    for part in 0..1100 {
        zip.start_file(format!("xl/media/p{part}.bin"), options)
            .unwrap();
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    let message = refusal(&path);
    assert!(message.contains("1024 MB"), "{message}");
}

fn column_name(column: usize) -> String {
    let mut name = String::new();
    let mut n = column + 1;
    while n > 0 {
        name.insert(0, char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    name
}
