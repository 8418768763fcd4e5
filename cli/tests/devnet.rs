//! `ndvt devnet up`: a real multi-process devnet on loopback QUIC, bounded in time, with a crash by SIGKILL
//! and a restart on the same key directories. Every process is stopped on every exit path of the test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "common/devnet.rs"]
mod devnet;

use std::path::Path;

use devnet::devnet_up;

/// The CI devnet: three groups (3-of-4 with member 3 SIGKILLed in slot 2 and restarted for slot 5, 5-of-7,
/// 2-of-3) and two single validators, 8 slots.
fn scenario() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios/devnet-small.toml")).unwrap()
}

fn run(dir: &Path, scenario: &str) -> (Option<i32>, String) {
    std::fs::write(dir.join("in.toml"), scenario).unwrap();
    devnet_up(&dir.join("in.toml"), &dir.join("run"))
}

#[test]
fn a_two_group_devnet_reaches_quorum_and_its_restarted_member_refuses_what_it_signed() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout) = run(dir.path(), &scenario());
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
    assert_eq!(v["nodes"], 4 + 7 + 3 + 2, "{last}");
    assert_eq!(v["processes"], 17, "sixteen nodes and one restart: {last}");
    assert_eq!(v["restarts"], 1, "{last}");
    assert_eq!(v["slots"], 8);
    assert_eq!(v["groups"], 3);
    assert_eq!(v["transport"], "quic");
    assert_eq!(v["safety_violations"], 0, "{last}");
    // The restarted member had signed before the SIGKILL: its signers refuse the last epoch they signed.
    assert!(v["refusals_after_restart"].as_u64().unwrap() >= 1, "{last}");
    // Every group keeps at least m live members throughout: quorum in at least 95% of their duties.
    assert!(v["participation"].as_f64().unwrap() >= 0.95, "{last}");
    assert!(v["messages"].as_u64().unwrap() > 0 && v["bytes"].as_u64().unwrap() > 0, "{last}");
    assert!(v["gossip_latency_ms_p50"].is_u64(), "{last}");
    // Justification over the network: aggregates were published, justified a checkpoint past genesis, and
    // every node (the restarted one too, by catching up) ends on the same justified checkpoint.
    assert!(v["aggregates"].as_u64().unwrap() > 0, "{last}");
    assert!(v["justified_slot"].as_u64().unwrap() >= 1, "{last}");
    assert_eq!(v["final_justified_agree"], true, "{last}");
    // The restarted member lost its block store with its process: it fetched the blocks it missed by root
    // (every node it asked holds them). Heads are not asserted: a block certified in the last moments of the
    // run may reach some nodes and not others before they stop.
    assert!(v["blocks_fetched"].as_u64().unwrap() >= 1, "{last}");
    assert!(!dir.path().join("run/pids").exists(), "the pid file outlived the run");
}

const FAULTS: &str = r#"
name = "every devnet fault mechanism"
slots = 4
seed = 5
singles = 1

[devnet]
ports_base = 19270
start_delay_s = 4

[network]
latency_ms = 20
jitter_ms = 40
loss = 0.1

[[groups]]
name = "2-of-3, two equivocating: a Byzantine quorum"
m = 2
n = 3
faults = [{ member = 0, kind = "equivocating" }, { member = 1, kind = "equivocating" }]

[[groups]]
name = "3-of-4, member 3 late by 1.2 s, member 0 cut off in slots 2 and 3"
m = 3
n = 4
faults = [{ member = 3, kind = "late", delay_ms = 1200 }]

[[partitions]]
group = 1
members = [0]
from_slot = 2
until_slot = 4
"#;

/// The identity of group 1's member 3 (group 0 has three members).
const LATE: usize = 3 + 3;

#[test]
fn a_devnet_applies_sigstop_the_network_shim_and_an_equivocator_that_the_others_prove_slashable() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout) = run(dir.path(), FAULTS);
    assert_eq!(code, Some(0), "{stdout}");
    let last = stdout.trim_end().lines().last().unwrap();
    let v: serde_json::Value = serde_json::from_str(last).unwrap();
    let mechanisms: Vec<&str> =
        v["fault_mechanisms"].as_array().unwrap().iter().filter_map(|m| m.as_str()).collect();
    for m in ["sigstop", "loss-shim", "jitter-shim", "partition-shim"] {
        assert!(mechanisms.contains(&m), "{m} missing: {last}");
    }
    assert!(mechanisms.iter().any(|m| m.starts_with("equivocator")), "{last}");
    assert_eq!(v["pauses"], 4, "one pause per slot of the late member: {last}");
    // The late member's votes left at least its delay after interval 1 (SIGSTOP held it; the node itself
    // attests on time by its clock).
    let run = dir.path().join("run");
    let node: toml::Value =
        toml::from_str(&std::fs::read_to_string(run.join(format!("node{LATE}.toml"))).unwrap()).unwrap();
    let genesis = node["genesis_ms"].as_integer().unwrap() as u64;
    let log = std::fs::read_to_string(run.join(format!("node{LATE}.jsonl"))).unwrap();
    let votes: Vec<serde_json::Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|r| r["ev"] == "sent" && r["kind"] == "vote")
        .collect();
    assert_eq!(votes.len(), 4, "{log}");
    for r in &votes {
        let slot = r["slot"].as_u64().unwrap();
        let into_slot = r["t_ms"].as_u64().unwrap() - genesis - slot * 4000;
        assert!(into_slot >= 800 + 1200 - 30, "slot {slot}: vote {into_slot} ms into the slot");
    }
    // The shim dropped messages for loss and for the partition, and counted them.
    assert!(v["drops"]["loss"].as_u64().unwrap_or(0) > 0, "{last}");
    assert!(v["drops"]["partition"].as_u64().unwrap_or(0) > 0, "{last}");
    // Two equivocators of a 2-of-3 sign a second head every slot: m on two heads, which the other nodes
    // prove with evidence the registry verifies. It is the Byzantine quorum's own doing, not a safety failure.
    assert!(v["equivocations"].as_u64().unwrap() >= 2, "{last}");
    assert!(v["slashable_events"].as_u64().unwrap() >= 1, "{last}");
    assert_eq!(v["safety_violations"], 0, "{last}");
    assert!(!run.join("pids").exists(), "the pid file outlived the run");
}
