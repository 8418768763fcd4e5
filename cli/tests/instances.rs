//! Every parameter set end to end through the CLI: `key generate|public|sign|info`, `ndvt verify` with its
//! exit codes (0 valid, 1 invalid, 2 usage, 3 refused), and `ndvt group create|sign|combine|verify`; plus
//! the leanVM contract: `key generate --instance leanvm --seed … --activation-start A --activation-epochs K`
//! reproduces leanVM's public key for the range [A, A+K−1].
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::{ndvt, stderr, stdout};

#[path = "../../xmss/tests/vectors.rs"]
mod vectors;

const MSG: &str = "4242424242424242424242424242424242424242424242424242424242424242";
const OTHER: &str = "0707070707070707070707070707070707070707070707070707070707070707";

/// The lifetime-2^8 set of every back-end, and the two leanVM-style ones.
const SETS: [&str; 4] = ["test", "leanvm-test", "sha3-test", "blake3-test"];

fn generate(dir: &str, instance: &str, seed: &str) -> String {
    let o = ndvt(&[
        "key",
        "generate",
        "--instance",
        instance,
        "--seed",
        seed,
        "--first-epoch",
        "0",
        "--activation-start",
        "0",
        "--activation-epochs",
        "64",
        "--out",
        dir,
    ]);
    assert_eq!(o.status.code(), Some(0), "{instance}: {}", stderr(&o));
    stdout(&o)
}

#[test]
fn every_set_signs_and_verifies_with_the_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    for instance in SETS {
        let dir = tmp.path().join(instance);
        let dir = dir.to_str().unwrap();
        let pk = generate(dir, instance, &"11".repeat(32));
        let public = ndvt(&["key", "public", "--key", dir]);
        assert_eq!(stdout(&public), pk, "{instance}");
        let sig = stdout(&ndvt(&["key", "sign", "--key", dir, "--epoch", "5", "--message", MSG]));
        let check = |epoch: &str, msg: &str, sig: &str| {
            ndvt(&[
                "verify",
                "--instance",
                instance,
                "--public-key",
                &pk,
                "--epoch",
                epoch,
                "--message",
                msg,
                "--signature",
                sig,
            ])
        };
        let valid = check("5", MSG, &sig);
        assert_eq!((valid.status.code(), stdout(&valid).as_str()), (Some(0), "valid"), "{instance}");
        let wrong = check("6", MSG, &sig);
        assert_eq!(wrong.status.code(), Some(1), "{instance}");
        assert!(stdout(&wrong).starts_with("invalid: "), "{instance}: {}", stdout(&wrong));
        let long = check("5", MSG, &format!("{sig}00"));
        assert_eq!(long.status.code(), Some(1), "{instance}: trailing bytes are refused");
        let refused = ndvt(&["key", "sign", "--key", dir, "--epoch", "5", "--message", OTHER]);
        assert_eq!(refused.status.code(), Some(3), "{instance}: {}", stderr(&refused));
        let info = stdout(&ndvt(&["key", "info", "--key", dir]));
        assert!(info.contains(&format!("instance: {instance}")) && info.contains("watermark: 5"), "{info}");
    }
    let usage = ndvt(&[
        "verify",
        "--instance",
        "leanvm-b",
        "--public-key",
        "00",
        "--epoch",
        "0",
        "--message",
        MSG,
        "--signature",
        "00",
    ]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn the_leanvm_public_key_of_every_vector_key_from_its_seed_and_range() {
    let tmp = tempfile::tempdir().unwrap();
    let set = vectors::json("leanvm-blake2s/leanvm_xmss.json");
    // Key 3 (2^16 epochs) is derived in the library's suite; the CLI checks the other three.
    for key in &set["keys"].as_array().unwrap()[..3] {
        let (start, end) = (key["epoch_start"].as_u64().unwrap(), key["epoch_end"].as_u64().unwrap());
        let dir = tmp.path().join(format!("k{start}"));
        let o = ndvt(&[
            "key",
            "generate",
            "--instance",
            "leanvm",
            "--seed",
            key["seed"].as_str().unwrap(),
            "--first-epoch",
            &start.to_string(),
            "--activation-start",
            &start.to_string(),
            "--activation-epochs",
            &(end - start + 1).to_string(),
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(stdout(&o), key["public_key"].as_str().unwrap());
        // A vector signature verifies through the CLI.
        let s = &key["signatures"][0];
        let v = ndvt(&[
            "verify",
            "--instance",
            "leanvm",
            "--public-key",
            &stdout(&o),
            "--epoch",
            &s["epoch"].as_u64().unwrap().to_string(),
            "--message",
            s["message"].as_str().unwrap(),
            "--signature",
            s["signature"].as_str().unwrap(),
        ]);
        assert_eq!((v.status.code(), stdout(&v).as_str()), (Some(0), "valid"));
    }
}

#[test]
fn a_leanvm_group_signs_and_verifies() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs: Vec<String> =
        (0..3).map(|i| tmp.path().join(format!("m{i}")).to_str().unwrap().to_string()).collect();
    let pks: Vec<String> = dirs
        .iter()
        .enumerate()
        .map(|(i, d)| generate(d, "leanvm-test", &format!("{:02x}", i + 1).repeat(32)))
        .collect();
    let group = tmp.path().join("group.hex");
    let group = group.to_str().unwrap();
    let mut args =
        vec!["group", "create", "--threshold", "2", "--instance", "leanvm-test", "--out", group, "--member"];
    args.extend(pks.iter().map(String::as_str));
    let created = ndvt(&args);
    assert_eq!(created.status.code(), Some(0), "{}", stderr(&created));
    assert!(stderr(&created).contains("group id (leanvm-test)"), "{}", stderr(&created));
    let shares: Vec<String> = dirs[..2]
        .iter()
        .map(|d| stdout(&ndvt(&["group", "sign", "--key", d, "--epoch", "9", "--message", MSG])))
        .collect();
    let mut args = vec!["group", "combine", "--group", group, "--share"];
    args.extend(shares.iter().map(String::as_str));
    let combined = ndvt(&args);
    assert_eq!(combined.status.code(), Some(0), "{}", stderr(&combined));
    let signature = stdout(&combined);
    let v = ndvt(&[
        "group",
        "verify",
        "--group",
        group,
        "--epoch",
        "9",
        "--message",
        MSG,
        "--signature",
        &signature,
    ]);
    assert_eq!((v.status.code(), stdout(&v).as_str()), (Some(0), "valid"), "{}", stderr(&v));
    let bad = ndvt(&[
        "group",
        "verify",
        "--group",
        group,
        "--epoch",
        "9",
        "--message",
        OTHER,
        "--signature",
        &signature,
    ]);
    assert_eq!(bad.status.code(), Some(1));
}
