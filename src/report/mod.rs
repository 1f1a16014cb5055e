//! Reports: one finding model, one renderer per format.

pub(crate) mod github;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod junit;
pub(crate) mod sarif;

use crate::engine::{FileOutcome, FileResult};
use crate::outcome::Status;

/// The least severe findings a report shows (`--level`; `--quiet` is `fail`, `--verbose` is `pass`). Counts and
/// verdicts always cover every finding.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default, clap::ValueEnum, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Failures only
    Fail,
    /// Failures, warnings and waived findings
    #[default]
    Warn,
    /// Also reminders (info)
    Info,
    /// Everything, passes included
    Pass,
}

impl Level {
    pub(crate) fn shows(self, s: Status) -> bool {
        let needs = match s {
            Status::Fail => Level::Fail,
            Status::Warn | Status::Suppressed => Level::Warn,
            Status::Info => Level::Info,
            Status::Pass => Level::Pass,
        };
        needs <= self
    }

    /// Keeps the findings this level shows.
    pub(crate) fn select(self, r: &mut FileResult) {
        if let FileOutcome::Checked(c) = &mut r.outcome {
            c.findings.retain(|f| self.shows(f.status));
        }
    }
}

/// Totals over every file (the JSON report's `summary`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Summary {
    pub files: usize,
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    pub warnings: usize,
    pub suppressed: usize,
}

impl Summary {
    /// Counts one more file.
    pub(crate) fn add(&mut self, r: &FileResult, strict: bool) {
        self.files += 1;
        match &r.outcome {
            FileOutcome::Error(_) => self.errors += 1,
            FileOutcome::Checked(c) => {
                if c.failed(strict) {
                    self.failed += 1;
                } else {
                    self.passed += 1;
                }
                self.warnings += c.findings.iter().filter(|f| f.status == Status::Warn).count();
                self.suppressed += c
                    .findings
                    .iter()
                    .filter(|f| f.status == Status::Suppressed)
                    .count();
            }
        }
    }

    /// The exit code (README: "Exit codes"): 2 beats 1 beats 0.
    pub(crate) fn exit_code(&self) -> u8 {
        if self.errors > 0 {
            2
        } else if self.failed > 0 {
            1
        } else {
            0
        }
    }
}
