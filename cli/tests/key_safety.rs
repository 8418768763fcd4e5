//! Regression tests for the review of the `ndvt key` and `ndvt group` commands (issue 13, findings 1, 4, 6
//! and 9): each is a documented-command path that signed an epoch twice or misbehaved on hostile files, and
//! fails on the code the review examined (dcc760f).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::*;
use std::time::{Duration, Instant};

const SEED: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const MSG_A: &str = "abababababababababababababababababababababababababababababababab";
const MSG_B: &str = "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd";

fn generate(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["key", "generate", "--instance", "test", "--out", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    ndvt(&args)
}

fn sign(dir: &Path, epoch: &str, msg: &str) -> Output {
    ndvt(&["key", "sign", "--key", dir.to_str().unwrap(), "--epoch", epoch, "--message", msg])
}

fn info(dir: &Path) -> String {
    let o = ndvt(&["key", "info", "--key", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    stdout(&o)
}

/// Finding 1: a seed without an explicit first epoch is a usage error (exit 2) that says why; with one, the
/// re-derived key refuses every epoch below it, so two directories of one seed never sign one epoch twice.
#[test]
fn a_seeded_key_needs_an_explicit_first_epoch() {
    let tmp = tempfile::tempdir().unwrap();
    let refused = generate(&tmp.path().join("a"), &["--seed", SEED]);
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    assert!(
        stderr(&refused).contains("--first-epoch") && stderr(&refused).contains("may already have signed")
    );
    assert!(!tmp.path().join("a").join("record").exists());

    let a = tmp.path().join("a");
    let pk = generate(&a, &["--seed", SEED, "--first-epoch", "0"]);
    assert_eq!(pk.status.code(), Some(0), "{pk:?}");
    assert_eq!(sign(&a, "5", MSG_A).status.code(), Some(0));

    // The review's forgery: the same seed into a second directory, then epoch 5 for another message.
    let b = tmp.path().join("b");
    let again = generate(&b, &["--seed", SEED, "--first-epoch", "6"]);
    assert_eq!(stdout(&again), stdout(&pk), "same seed, same key");
    assert!(info(&b).contains("next signable epoch: 6"));
    let second = sign(&b, "5", MSG_B);
    assert_eq!(second.status.code(), Some(3), "{second:?}");
    assert!(stdout(&second).is_empty(), "a refusal released bytes");
}

/// Finding 1: `--seed-file` (a path, or `-` for standard input) gives the same key as `--seed`, keeping the
/// seed out of the process's arguments.
#[test]
fn the_seed_can_come_from_a_file_or_standard_input() {
    let tmp = tempfile::tempdir().unwrap();
    let reference = stdout(&generate(&tmp.path().join("r"), &["--seed", SEED, "--first-epoch", "0"]));
    let file = tmp.path().join("seed.hex");
    std::fs::write(&file, format!("0x{SEED}\n")).unwrap();
    let from_file =
        generate(&tmp.path().join("f"), &["--seed-file", file.to_str().unwrap(), "--first-epoch", "0"]);
    assert_eq!(from_file.status.code(), Some(0), "{from_file:?}");
    assert_eq!(stdout(&from_file), reference);
    assert_eq!(
        generate(&tmp.path().join("g"), &["--seed-file", file.to_str().unwrap()]).status.code(),
        Some(2)
    );

    let dir = tmp.path().join("s");
    let mut child = Command::new(env!("CARGO_BIN_EXE_ndvt"))
        .args(["key", "generate", "--instance", "test", "--out", dir.to_str().unwrap()])
        .args(["--seed-file", "-", "--first-epoch", "0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(SEED.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(stdout(&out), reference);
    let help = stdout(&ndvt(&["key", "generate", "--help"]));
    assert!(help.contains("/proc") && help.contains("--seed-file"), "{help}");
}

/// Finding 4: a refused `key sign` or `group sign` leaves the prepared window where it was; on the reviewed
/// code `--epoch 300` on a 256-epoch key moved it to [224, 256) first, making epochs 0–223 unsignable.
#[test]
fn a_refused_signature_does_not_move_the_window() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("k");
    assert_eq!(generate(&dir, &[]).status.code(), Some(0));
    let before = info(&dir);
    assert!(before.contains("prepared window: [0, 32)"), "{before}");

    let outside = sign(&dir, "300", MSG_A);
    assert_eq!(outside.status.code(), Some(1), "{outside:?}");
    assert!(stderr(&outside).contains("outside"), "{}", stderr(&outside));
    let group =
        ndvt(&["group", "sign", "--key", dir.to_str().unwrap(), "--epoch", "300", "--message", MSG_A]);
    assert_eq!(group.status.code(), Some(1), "{group:?}");
    assert_eq!(info(&dir), before);

    assert_eq!(sign(&dir, "7", MSG_A).status.code(), Some(0));
    let after_sign = info(&dir);
    for (epoch, msg) in [("7", MSG_B), ("3", MSG_B), ("300", MSG_B)] {
        assert_ne!(sign(&dir, epoch, msg).status.code(), Some(0), "epoch {epoch}");
        assert_eq!(info(&dir), after_sign, "window or record moved after a refusal at {epoch}");
    }
    assert_eq!(sign(&dir, "8", MSG_A).status.code(), Some(0), "the epochs after the watermark stay signable");
}

/// Finding 6: copying another key's `record` over a used key's is refused, not read as "watermark: none".
#[test]
fn a_copied_record_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert_eq!(generate(&a, &[]).status.code(), Some(0));
    assert_eq!(generate(&b, &[]).status.code(), Some(0));
    assert_eq!(sign(&a, "5", MSG_A).status.code(), Some(0));
    std::fs::copy(b.join("record"), a.join("record")).unwrap();
    let shown = ndvt(&["key", "info", "--key", a.to_str().unwrap()]);
    assert_eq!(shown.status.code(), Some(1), "{shown:?}");
    assert!(stderr(&shown).contains("belongs to another key"), "{}", stderr(&shown));
    let resign = sign(&a, "5", MSG_B);
    assert_eq!(resign.status.code(), Some(1), "{resign:?}");
    assert!(stdout(&resign).is_empty());
}

/// Runs `ndvt` with a deadline: a run that has not finished by then is killed and reported as `None`, so a
/// regression to unbounded reads fails the test instead of hanging it (and leaves no child behind).
fn ndvt_within(args: &[&str], deadline: Duration) -> Option<Output> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ndvt"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ndvt");
    let started = Instant::now();
    while child.try_wait().expect("poll ndvt").is_none() {
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Some(child.wait_with_output().expect("collect ndvt"))
}

/// Finding 9: endless inputs are refused at their cap, quickly, instead of being read without bound.
#[test]
fn endless_files_are_refused_at_their_cap() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("k");
    let deadline = Duration::from_secs(20);
    let import = ["key", "import", "--instance", "test", "--secret-key", "/dev/zero"];
    let imported = ndvt_within(
        &[&import[..], &["--out", out.to_str().unwrap(), "--first-epoch", "0"]].concat(),
        deadline,
    )
    .expect("key import read /dev/zero without bound");
    assert_eq!(imported.status.code(), Some(1), "{imported:?}");
    assert!(stderr(&imported).contains("larger than"), "{}", stderr(&imported));
    let verify =
        ["group", "verify", "--group", "/dev/zero", "--epoch", "1", "--message", MSG_A, "--signature", "00"];
    let checked = ndvt_within(&verify, deadline).expect("group verify read /dev/zero without bound");
    assert_eq!(checked.status.code(), Some(1), "{checked:?}");
    assert!(format!("{}{}", stdout(&checked), stderr(&checked)).contains("larger than"), "{checked:?}");
}

/// Finding 9: `key info` reads; it takes no lock and creates nothing, so it works on a read-only directory
/// and while a signer holds the key.
#[test]
fn key_info_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("k");
    assert_eq!(generate(&dir, &[]).status.code(), Some(0));
    std::fs::remove_file(dir.join("lock")).unwrap();
    let names = || {
        let mut v: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        v.sort();
        v
    };
    let before = names();
    assert!(info(&dir).contains("watermark: none"));
    assert_eq!(names(), before, "key info created a file");
}
