//! The main journeys in a real browser: `dangbo serve --demo` driven in Debian's headless chromium by
//! `e2e/journeys.mjs` (playwright-core). `.ci/run` installs chromium and `test.sh` installs
//! playwright-core; a missing browser or driver fails this test rather than skipping it.
//! Screenshots are written to a temporary folder, or to `DANGBO_SCREENSHOTS` when it is set.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Stops the server when the test ends, whatever happens.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn main_journeys_in_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let journeys = root.join("e2e/journeys.mjs");
    assert!(
        root.join("e2e/node_modules/playwright-core").exists(),
        "playwright-core is missing: run `npm ci --prefix e2e` (test.sh does)"
    );
    assert!(
        Path::new("/usr/bin/chromium").exists(),
        "Debian's chromium is missing: apt-get install chromium (.ci/run does)"
    );
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_dangbo"))
        .args(["--db", &db, "serve", "--demo", "--addr", "127.0.0.1:0"])
        .env_remove("DANGBO_DATABASE_URL")
        .env("DANGBO_PROGRESS", "lines")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start dangbo serve");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    // The server prints its address once it listens; the reader keeps draining its output after
    // that, so that the server never writes into a closed pipe.
    let (address, listening) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("http://").nth(1)
                && let Some(addr) = rest.split('/').next()
            {
                let _ = address.send(format!("http://{addr}"));
            }
        }
    });
    let base = listening.recv().expect("the server printed its address");
    // Screenshots go to a temporary folder unless asked for (e2e/refresh-screenshots.sh).
    let shots = std::env::var_os("DANGBO_SCREENSHOTS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("screenshots"));
    let status = Command::new("node")
        .arg(&journeys)
        .current_dir(&root)
        .env("BASE_URL", &base)
        .env("SCREENSHOTS", &shots)
        .env("DOWNLOADS", dir.path().join("downloads"))
        .status()
        .expect("run node e2e/journeys.mjs");
    drop(server);
    assert!(
        status.success(),
        "browser journeys failed (see the output above)"
    );
    read_back_downloads(&dir.path().join("downloads"));
}

/// A downloaded workbook's first sheet: the rows under the header row (the one starting "STT").
fn sheet_rows(file: &Path) -> Vec<Vec<calamine::Data>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> =
        open_workbook(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let range = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    let rows: Vec<Vec<calamine::Data>> = range.rows().map(|r| r.to_vec()).collect();
    let header = rows
        .iter()
        .position(|r| matches!(r.first(), Some(calamine::Data::String(s)) if s == "STT"))
        .unwrap_or_else(|| panic!("{}: no header row", file.display()));
    rows[header + 1..].to_vec()
}

/// The workbooks the journeys downloaded hold what their pages showed.
fn read_back_downloads(dir: &Path) {
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json")).expect("the journeys' expectations"),
    )
    .unwrap();
    // The table per organization: the same organizations in the same order, the same numbers.
    let table = sheet_rows(&dir.join("table.xlsx"));
    let names: Vec<String> = table.iter().map(|r| r[1].to_string()).collect();
    let page_names: Vec<String> = expected["table"]["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().trim().to_string())
        .collect();
    assert_eq!(&names[..page_names.len()], &page_names[..]);
    let totals: Vec<f64> = table
        .iter()
        .filter_map(|r| calamine::DataType::get_float(&r[2]))
        .collect();
    let page_totals: Vec<f64> = expected["table"]["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_f64().unwrap())
        .collect();
    assert_eq!(
        &totals[..page_totals.len()],
        &page_totals[..],
        "numbers, not text"
    );
    assert_eq!(
        totals.last().copied(),
        expected["table"]["total"].as_f64(),
        "the total row"
    );
    // The drill-down's attached list: every record, not one page.
    let listed = sheet_rows(&dir.join("drill-down.xlsx"));
    assert_eq!(
        listed.len() as u64,
        expected["drillDown"]["rows"].as_u64().unwrap()
    );
    // The member export: what the search found.
    let members = sheet_rows(&dir.join("members.xlsx"));
    assert_eq!(
        members.len() as u64,
        expected["members"]["count"].as_u64().unwrap()
    );
    let search = expected["members"]["search"].as_str().unwrap();
    for row in &members {
        let name = dangbo_domain::text::fold(&row[2].to_string());
        assert!(name.contains(search), "{name} matches «{search}»");
    }
}
