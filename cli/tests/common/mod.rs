//! What the CLI's integration tests share: running the `ndvt` binary and reading its output.
#![allow(dead_code, clippy::expect_used)] // each test file uses its own subset

use std::process::{Command, Output};

/// Runs `ndvt` with `args` to completion.
pub fn ndvt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ndvt")).args(args).output().expect("run ndvt")
}

/// Standard output, trimmed.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// Standard error, as printed.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}
