//! `ndvt bench aggregate`: one succinct aggregate proven and verified, its JSON contract and exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::process::{Command, Output};

fn ndvt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ndvt")).args(args).output().expect("run ndvt")
}

fn last_json_line(o: &Output) -> serde_json::Value {
    let text = String::from_utf8_lossy(&o.stdout);
    let last = text.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|e| panic!("last line is not JSON ({e}): {text}"))
}

#[test]
fn two_signatures_prove_and_verify() {
    let o = ndvt(&["bench", "aggregate", "--signatures", "2", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let json = last_json_line(&o);
    assert_eq!(json["verified"], true, "{json}");
    assert_eq!(json["signatures"], 2, "{json}");
    // Two signatures do not fill an 8-of-11 group: two single-key validators.
    assert_eq!((json["groups"].as_u64(), json["singles"].as_u64()), (Some(0), Some(2)), "{json}");
    assert!(json["proof_bytes"].as_u64().unwrap() > 0, "{json}");
    assert!(json["prove_seconds"].as_f64().unwrap() > 0.0, "{json}");
    assert!(json["verify_ms"].as_f64().unwrap() > 0.0, "{json}");
    assert!(json["threads"].as_u64().unwrap() >= 1, "{json}");
    assert!(json["peak_rss_bytes"].is_null() || json["peak_rss_bytes"].as_u64().unwrap() > 0, "{json}");
    // The figures name what they ran on: this build's SIMD back-end, its lanes and the CPU model.
    let simd = ndvt_xmss::simd::compiled();
    assert_eq!(
        (json["simd"].as_str(), json["lanes"].as_u64()),
        (Some(simd.name()), Some(simd.lanes() as u64))
    );
    assert!(json["cpu"].is_string() || json["cpu"].is_null(), "{json}");
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("SIMD back-end: {simd}")), "{o:?}");
}

#[test]
fn a_small_group_and_a_single() {
    let o =
        ndvt(&["bench", "aggregate", "--signatures", "3", "--threshold", "2", "--members", "3", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let json = last_json_line(&o);
    assert_eq!(json["verified"], true, "{json}");
    let shape: Vec<u64> =
        ["groups", "threshold", "members", "singles"].iter().map(|k| json[k].as_u64().unwrap()).collect();
    assert_eq!(shape, [1, 2, 3, 1], "{json}");
}

#[test]
fn bad_arguments_are_refused() {
    // Usage errors (exit 2): no signatures, and options of the table mixed with the subcommand.
    assert_eq!(ndvt(&["bench", "aggregate", "--signatures", "0"]).status.code(), Some(2));
    assert_eq!(ndvt(&["bench", "--samples", "3", "aggregate", "--signatures", "1"]).status.code(), Some(2));
    // A threshold above the group size is invalid input (exit 1), refused before any key is made.
    let o = ndvt(&["bench", "aggregate", "--signatures", "8", "--threshold", "9", "--members", "4"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("threshold 9 with 4 members"), "{o:?}");
}

#[test]
fn the_table_still_runs_without_a_subcommand() {
    let o = ndvt(&["bench", "--scheme", "list"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stdout).lines().any(|l| l == "devnet4"), "{o:?}");
}
