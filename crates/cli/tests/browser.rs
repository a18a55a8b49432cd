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
        .status()
        .expect("run node e2e/journeys.mjs");
    drop(server);
    assert!(
        status.success(),
        "browser journeys failed (see the output above)"
    );
}
