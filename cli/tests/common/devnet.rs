//! Running `ndvt devnet up` from a test, bounded in time, with every process it started stopped on every
//! exit path (a failed assertion or a timeout drops the guard, which kills `up` and runs `devnet down`).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long any test devnet may run.
pub const HARD_TIMEOUT: Duration = Duration::from_secs(150);

/// The `devnet up` process and its output folder.
struct Devnet {
    child: Option<Child>,
    dir: PathBuf,
}

impl Drop for Devnet {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        if self.dir.join("pids").exists() {
            let _ =
                Command::new(env!("CARGO_BIN_EXE_ndvt")).arg("devnet").arg("down").arg(&self.dir).status();
        }
    }
}

/// `ndvt devnet up SCENARIO --out OUT --json`: its exit code and standard output.
pub fn devnet_up(scenario: &Path, out: &Path) -> (Option<i32>, String) {
    let child = Command::new(env!("CARGO_BIN_EXE_ndvt"))
        .args(["devnet", "up"])
        .arg(scenario)
        .arg("--out")
        .arg(out)
        .arg("--json")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut devnet = Devnet { child: Some(child), dir: out.to_path_buf() };
    let start = Instant::now();
    let code = loop {
        if let Some(status) = devnet.child.as_mut().unwrap().try_wait().unwrap() {
            break status.code();
        }
        assert!(start.elapsed() < HARD_TIMEOUT, "devnet up did not finish in {HARD_TIMEOUT:?}");
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut stdout = String::new();
    devnet.child.as_mut().unwrap().stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    devnet.child = None;
    (code, stdout)
}
