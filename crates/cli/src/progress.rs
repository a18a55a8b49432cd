//! Progress of long commands: a bar on a terminal, plain lines when `DANGBO_PROGRESS=lines`
//! (for scripts and tests that watch a run), nothing otherwise.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

pub struct Bar {
    bar: Option<ProgressBar>,
    lines: bool,
    label: String,
    phase: String,
}

impl Bar {
    pub fn new() -> Bar {
        let lines = std::env::var("DANGBO_PROGRESS").is_ok_and(|v| v == "lines");
        let bar = (!lines && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template(
                    "{prefix} {msg:<14} [{bar:30}] {pos}/{len} ({per_sec})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar
        });
        Bar {
            bar,
            lines,
            label: String::new(),
            phase: String::new(),
        }
    }

    /// A label shown before the phase (e.g. which province of many).
    pub fn label(&mut self, label: &str) {
        self.label = label.to_string();
        if let Some(bar) = &self.bar {
            bar.set_prefix(label.to_string());
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Default for Bar {
    fn default() -> Self {
        Bar::new()
    }
}

impl dangbo_store::access::Progress for Bar {
    fn phase(&mut self, name: &str, total: usize) {
        self.phase = name.to_string();
        if let Some(bar) = &self.bar {
            bar.set_message(name.to_string());
            bar.set_length(total as u64);
            bar.set_position(0);
        }
        if self.lines {
            eprintln!("progress {} {name} 0/{total}", self.label);
        }
    }

    fn advance(&mut self, done: usize) {
        if let Some(bar) = &self.bar {
            bar.set_position(done as u64);
        }
        if self.lines {
            eprintln!("progress {} {} {done}", self.label, self.phase);
        }
    }
}
