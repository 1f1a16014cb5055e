//! Reports: one finding model, one renderer per format.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::engine::{FileOutcome, FileResult};
use crate::outcome::Status;

/// Totals over every file (SPEC §3.1 `summary`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    pub warnings: usize,
    pub suppressed: usize,
}

impl Summary {
    pub fn of(results: &[FileResult], strict: bool) -> Summary {
        let mut s = Summary {
            files: results.len(),
            ..Summary::default()
        };
        for r in results {
            match &r.outcome {
                FileOutcome::Error(_) => s.errors += 1,
                FileOutcome::Checked(c) => {
                    if c.failed(strict) {
                        s.failed += 1;
                    } else {
                        s.passed += 1;
                    }
                    s.warnings += c.findings.iter().filter(|f| f.status == Status::Warn).count();
                    s.suppressed += c
                        .findings
                        .iter()
                        .filter(|f| f.status == Status::Suppressed)
                        .count();
                }
            }
        }
        s
    }

    /// The exit code of SPEC §2.2: 2 beats 1 beats 0.
    pub fn exit_code(&self) -> u8 {
        if self.errors > 0 {
            2
        } else if self.failed > 0 {
            1
        } else {
            0
        }
    }
}
