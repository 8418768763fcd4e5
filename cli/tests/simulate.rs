//! The `ndvt simulate` and `ndvt genesis` contract.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::process::{Command, Output};

fn ndvt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ndvt")).args(args).output().expect("run ndvt")
}

fn scenario_path(name: &str) -> String {
    format!("{}/../scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn last_json(o: &Output) -> serde_json::Value {
    let text = String::from_utf8_lossy(&o.stdout);
    let last = text.trim_end().lines().last().expect("some output");
    serde_json::from_str(last).unwrap_or_else(|e| panic!("last line is not JSON ({e}): {last}"))
}

#[test]
fn json_report_has_the_contract_fields() {
    let o = ndvt(&["simulate", &scenario_path("backup-2-of-4.toml"), "--seed", "5", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let v = last_json(&o);
    assert_eq!(v["slots"], 20);
    assert_eq!(v["groups"], 2);
    assert_eq!(v["seed"], 5);
    let p = v["participation"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p));
    assert!(v["proposals_missed"].is_u64());
    assert!(v["safety_violations"].as_u64().unwrap() > 0, "the backup configuration is slashable");
}

#[test]
fn seed_flag_overrides_and_reproduces() {
    let path = scenario_path("one-crash-too-many.toml");
    let a = last_json(&ndvt(&["simulate", &path, "--seed", "21", "--json"]));
    let b = last_json(&ndvt(&["simulate", &path, "--seed", "21", "--json"]));
    assert_eq!(a, b);
    assert_eq!(a["seed"], 21);
    assert_eq!(a["safety_violations"], 0);
}

#[test]
fn human_table_and_svg() {
    let tmp = tempfile::tempdir().unwrap();
    let svg = tmp.path().join("p.svg");
    let o = ndvt(&["simulate", &scenario_path("race-proposals.toml"), "--svg", svg.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("safety violations 0"), "{text}");
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<polyline"));
}

#[test]
fn bad_scenarios_fail_with_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, "slots = 999\nsingles = 1\n").unwrap();
    let o = ndvt(&["simulate", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("slots must be in 1..=200"));
    let o = ndvt(&["simulate", tmp.path().join("missing.toml").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn print_default_round_trips() {
    let o = ndvt(&["simulate", "--print-default"]);
    assert_eq!(o.status.code(), Some(0));
    let shipped = std::fs::read_to_string(scenario_path("default.toml")).unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), shipped, "scenarios/default.toml is the built-in default");
}

#[test]
fn genesis_writes_lean_quickstart_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("genesis");
    let o = ndvt(&["genesis", &scenario_path("backup-2-of-4.toml"), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let config = std::fs::read_to_string(out.join("config.yaml")).unwrap();
    assert!(config.contains("VALIDATOR_COUNT: 10"), "{config}");
    assert_eq!(config.matches("attestation_pubkey: \"").count(), 10);
    assert_eq!(config.matches("proposal_pubkey: \"").count(), 10);
    assert!(config.contains("members: [0, 1, 2, 3]") && config.contains("members: [4, 5, 6, 7]"));
    let validators = std::fs::read_to_string(out.join("validators.yaml")).unwrap();
    assert!(validators.starts_with("group0_m0:\n  - 0\n") && validators.contains("single_1:\n  - 9\n"));
    // Never overwrites.
    let again = ndvt(&["genesis", &scenario_path("backup-2-of-4.toml"), "--out", out.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
}
