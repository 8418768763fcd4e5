//! The simulator and the devnet run one scenario file and agree on participation, within one duty per group
//! (bounded in time; every devnet process is stopped on every exit path).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "common/devnet.rs"]
mod devnet;

use std::process::Command;

use devnet::devnet_up;

/// Group A can never have m votes in time (one member crashed, one late past the aggregation deadline),
/// B keeps exactly m live members, C is whole: 2 of 3 group duties reach quorum in every slot, in both drivers.
const SCENARIO: &str = r#"
name = "simulator and devnet agree"
slots = 4
seed = 21
singles = 1

[devnet]
ports_base = 19290
start_delay_s = 4

[[groups]]
name = "A 2-of-3, one crashed, one late past interval 2"
m = 2
n = 3
faults = [{ member = 2, kind = "crashed" }, { member = 1, kind = "late", delay_ms = 1200 }]

[[groups]]
name = "B 3-of-5, two crashed"
m = 3
n = 5
faults = [{ member = 0, kind = "crashed" }, { member = 1, kind = "crashed" }]

[[groups]]
name = "C 2-of-2"
m = 2
n = 2
"#;

/// Participation may differ by one group duty in the run (12 here: 3 groups × 4 slots), per component too.
const TOLERANCE: f64 = 1.0 / 12.0 + 1e-9;

fn last_json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout.trim_end().lines().last().unwrap()).unwrap()
}

#[test]
fn the_simulator_and_the_devnet_agree_on_participation_for_one_scenario_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scenario.toml");
    std::fs::write(&file, SCENARIO).unwrap();
    let sim =
        Command::new(env!("CARGO_BIN_EXE_ndvt")).arg("simulate").arg(&file).arg("--json").output().unwrap();
    assert!(sim.status.success(), "{}", String::from_utf8_lossy(&sim.stderr));
    let sim = last_json(&String::from_utf8_lossy(&sim.stdout));

    let (code, stdout) = devnet_up(&file, &dir.path().join("run"));
    assert_eq!(code, Some(0), "devnet up failed");
    let dev = last_json(&stdout);

    for key in ["participation", "participation_source", "participation_target", "participation_head"] {
        let (a, b) = (sim[key].as_f64().unwrap(), dev[key].as_f64().unwrap());
        assert!((a - b).abs() <= TOLERANCE, "{key}: simulator {a}, devnet {b}\nsim {sim}\ndevnet {dev}");
    }
    // Not a trivial agreement: one group of three misses every duty in both.
    let p = sim["participation"].as_f64().unwrap();
    assert!((p - 2.0 / 3.0).abs() < 1e-9, "simulator participation {p}");
    assert_eq!(sim["safety_violations"], 0);
    assert_eq!(dev["safety_violations"], 0, "{dev}");
    assert_eq!(sim["singles_participation"], dev["singles_participation"], "sim {sim}\ndevnet {dev}");
}
