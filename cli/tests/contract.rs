//! The CLI contract other tools script against: commands, output and exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

const SEED: &str = "0101010101010101010101010101010101010101010101010101010101010101";
const MSG_A: &str = "abababababababababababababababababababababababababababababababab";
const MSG_B: &str = "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd";

fn generate(dir: &Path) -> String {
    let out = dir.to_str().unwrap();
    let o =
        ndvt(&["key", "generate", "--instance", "test", "--out", out, "--seed", SEED, "--first-epoch", "0"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    stdout(&o)
}

#[test]
fn no_arguments_runs_the_default_simulation() {
    let o = ndvt(&[]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let text = stdout(&o);
    assert!(text.contains("safety violations 0") && text.contains("groups: quorum"), "{text}");
}

#[test]
fn demo_runs_keygen_sign_verify() {
    let o = ndvt(&["demo"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let text = stdout(&o);
    assert!(text.contains("verified") && text.contains("refused"), "{text}");
}

#[test]
fn generate_sign_verify_and_refuse_reuse() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("key");
    let pk = generate(&dir);
    assert_eq!(pk.len(), 104);
    let key = dir.to_str().unwrap();
    assert_eq!(stdout(&ndvt(&["key", "public", "--key", key])), pk);

    let sign =
        |epoch: &str, msg: &str| ndvt(&["key", "sign", "--key", key, "--epoch", epoch, "--message", msg]);
    let first = sign("40", MSG_A);
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    let signature = stdout(&first);
    assert_eq!(signature.len(), 2 * 424);

    // Identical repeat: identical bytes. Different message, or an older epoch: exit 3.
    assert_eq!(stdout(&sign("40", MSG_A)), signature);
    let refused = sign("40", MSG_B);
    assert_eq!(refused.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("different message"));
    assert_eq!(sign("12", MSG_B).status.code(), Some(3));

    let verify = |epoch: &str, sig: &str| {
        ndvt(&[
            "verify",
            "--instance",
            "test",
            "--public-key",
            &pk,
            "--epoch",
            epoch,
            "--message",
            MSG_A,
            "--signature",
            sig,
        ])
    };
    let ok = verify("40", &signature);
    assert_eq!((ok.status.code(), stdout(&ok)), (Some(0), "valid".to_string()));
    let bad = verify("41", &signature);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stdout(&bad).starts_with("invalid: "));
    let garbage = verify("40", "00ff");
    assert_eq!(garbage.status.code(), Some(1));
    assert!(stdout(&garbage).starts_with("invalid: "));

    let info = stdout(&ndvt(&["key", "info", "--key", key]));
    assert!(info.contains("watermark: 40") && info.contains("next signable epoch: 41"), "{info}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(ndvt(&["verify", "--instance", "test"]).status.code(), Some(2));
    let o = ndvt(&[
        "verify",
        "--instance",
        "nope",
        "--public-key",
        "00",
        "--epoch",
        "1",
        "--message",
        "00",
        "--signature",
        "00",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = ndvt(&[
        "verify",
        "--instance",
        "test",
        "--public-key",
        "00",
        "--epoch",
        "x",
        "--message",
        "00",
        "--signature",
        "00",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn import_requires_first_epoch_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    generate(&src);
    let sk_file = src.join("secret.ssz");
    let dst = tmp.path().join("imported");
    let (sk, dst_s) = (sk_file.to_str().unwrap(), dst.to_str().unwrap());
    let missing = ndvt(&["key", "import", "--instance", "test", "--secret-key", sk, "--out", dst_s]);
    assert_eq!(missing.status.code(), Some(2));
    let o = ndvt(&[
        "key",
        "import",
        "--instance",
        "test",
        "--secret-key",
        sk,
        "--out",
        dst_s,
        "--first-epoch",
        "20",
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let sign = |epoch: &str| ndvt(&["key", "sign", "--key", dst_s, "--epoch", epoch, "--message", MSG_A]);
    assert_eq!(sign("19").status.code(), Some(3));
    assert_eq!(sign("20").status.code(), Some(0));
    let again = ndvt(&[
        "key",
        "import",
        "--instance",
        "test",
        "--secret-key",
        sk,
        "--out",
        dst_s,
        "--first-epoch",
        "0",
    ]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(sign("20").status.code(), Some(0), "the record survived the refused import");
    assert_eq!(sign("19").status.code(), Some(3));
}

/// Every error names only what it adds and leaves its cause to `source()`, so the printed chain never repeats
/// a cause (issue 13: the CLI used to de-duplicate messages that embedded their source).
#[test]
fn error_chains_name_each_cause_once() {
    let tmp = tempfile::tempdir().unwrap();
    let pk = generate(&tmp.path().join("key"));
    let o = Command::new(env!("CARGO_BIN_EXE_ndvt")).args(verify_args(&pk)).output().expect("run ndvt");
    let reason = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let reason = reason.trim_start_matches("invalid: ");
    // A parent message that embeds its source prints as `…: CAUSE: CAUSE`; find any such repeated tail.
    let cuts: Vec<usize> = reason.match_indices(": ").map(|(i, _)| i).collect();
    assert!(!cuts.is_empty(), "the cause is missing: {reason}");
    for &cut in &cuts {
        let (head, tail) = (&reason[..cut], &reason[cut + 2..]);
        assert!(!head.ends_with(tail), "a cause is printed twice: {reason}");
    }
}

fn verify_args(pk: &str) -> Vec<String> {
    [
        "verify",
        "--instance",
        "test",
        "--public-key",
        pk,
        "--epoch",
        "3",
        "--message",
        MSG_A,
        "--signature",
        "00ff",
    ]
    .map(String::from)
    .to_vec()
}
