//! `ndvt devnet up`: a real multi-process devnet on loopback QUIC, bounded in time, with a crash by SIGKILL
//! and a restart on the same key directories. Every process is stopped on every exit path of the test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const HARD_TIMEOUT: Duration = Duration::from_secs(150);

/// The `devnet up` process; on drop (a failed assertion, a timeout) it is killed and `devnet down` stops
/// every node it started.
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

const SCENARIO: &str = r#"
name = "two groups, one crash and restart"
slots = 4
seed = 3

[devnet]
ports_base = 19240
start_delay_s = 4

[[groups]]
name = "2-of-3, member 2 crashed in slot 1, back for slot 3"
m = 2
n = 3
faults = [{ member = 2, kind = "crashed", from_slot = 1, until_slot = 3 }]

[[groups]]
name = "2-of-2"
m = 2
n = 2
"#;

fn run(dir: &Path) -> (Option<i32>, String) {
    std::fs::write(dir.join("in.toml"), SCENARIO).unwrap();
    let out = dir.join("run");
    let child = Command::new(env!("CARGO_BIN_EXE_ndvt"))
        .args(["devnet", "up"])
        .arg(dir.join("in.toml"))
        .arg("--out")
        .arg(&out)
        .arg("--json")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut devnet = Devnet { child: Some(child), dir: out };
    let start = Instant::now();
    let code = loop {
        let c = devnet.child.as_mut().unwrap();
        if let Some(status) = c.try_wait().unwrap() {
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

#[test]
fn a_two_group_devnet_reaches_quorum_and_its_restarted_member_refuses_what_it_signed() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout) = run(dir.path());
    assert_eq!(code, Some(0), "{stdout}");
    let last = stdout.trim_end().lines().last().unwrap();
    let v: serde_json::Value = serde_json::from_str(last).unwrap();
    for key in [
        "nodes",
        "processes",
        "slots",
        "groups",
        "participation",
        "safety_violations",
        "proposals_missed",
        "restarts",
        "refusals_after_restart",
        "gossip_latency_ms_p50",
        "gossip_latency_ms_p99",
        "messages",
        "bytes",
        "transport",
        "fault_mechanisms",
    ] {
        assert!(v.get(key).is_some(), "missing {key}: {last}");
    }
    assert_eq!(v["nodes"], 5, "{last}");
    assert_eq!(v["processes"], 6, "five nodes and one restart: {last}");
    assert_eq!(v["restarts"], 1, "{last}");
    assert_eq!(v["slots"], 4);
    assert_eq!(v["groups"], 2);
    assert_eq!(v["transport"], "quic");
    assert_eq!(v["safety_violations"], 0, "{last}");
    // The restarted member had signed its slot-1 vote before the SIGKILL: its signer refuses that epoch.
    assert!(v["refusals_after_restart"].as_u64().unwrap() >= 1, "{last}");
    // Both groups keep m live members throughout.
    assert!(v["participation"].as_f64().unwrap() >= 0.75, "{last}");
    assert!(v["messages"].as_u64().unwrap() > 0 && v["bytes"].as_u64().unwrap() > 0, "{last}");
    assert!(v["gossip_latency_ms_p50"].is_u64(), "{last}");
    // Not asserted: the restarted member cannot adopt a head whose ancestry it missed without fetching
    // blocks by root (not implemented; docs/DEVNET.md), so `final_heads_agree` is false in this run.
    assert!(v["final_heads_agree"].is_boolean(), "{last}");
    assert!(!dir.path().join("run/pids").exists(), "the pid file outlived the run");
}
