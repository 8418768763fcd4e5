//! The `ndvt group` contract: create (exit 4 on linter refusal), sign a share, combine (exit 1 below m),
//! verify (`valid` exit 0 / `invalid: <reason>` exit 1).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::path::Path;
use std::process::Output;

use common::*;

const MSG: &str = "5151515151515151515151515151515151515151515151515151515151515151";
const OTHER: &str = "6262626262626262626262626262626262626262626262626262626262626262";

/// Generates `n` test-instance member keys; returns their directories and public keys.
fn members(root: &Path, n: usize) -> (Vec<String>, Vec<String>) {
    (0..n)
        .map(|i| {
            let dir = root.join(format!("member{i}"));
            let seed = format!("{:02x}", i + 1).repeat(32);
            let d = dir.to_str().unwrap().to_string();
            let o = ndvt(&[
                "key",
                "generate",
                "--instance",
                "test",
                "--out",
                &d,
                "--seed",
                &seed,
                "--first-epoch",
                "0",
            ]);
            assert_eq!(o.status.code(), Some(0), "{o:?}");
            (d, stdout(&o))
        })
        .unzip()
}

fn create(m: &str, pks: &[String], extra: &[&str]) -> Output {
    let mut args = vec!["group", "create", "--threshold", m, "--member"];
    args.extend(pks.iter().map(String::as_str));
    args.extend_from_slice(extra);
    ndvt(&args)
}

fn share(dir: &str, epoch: &str, msg: &str) -> String {
    let o = ndvt(&["group", "sign", "--key", dir, "--epoch", epoch, "--message", msg]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    stdout(&o)
}

fn combine(group: &str, shares: &[String]) -> Output {
    let mut args = vec!["group", "combine", "--group", group, "--share"];
    args.extend(shares.iter().map(String::as_str));
    ndvt(&args)
}

fn verify(group: &str, epoch: &str, msg: &str, sig: &str) -> Output {
    ndvt(&["group", "verify", "--group", group, "--epoch", epoch, "--message", msg, "--signature", sig])
}

#[test]
fn create_sign_combine_verify_three_of_four() {
    let tmp = tempfile::tempdir().unwrap();
    let (dirs, pks) = members(tmp.path(), 4);
    let group_file = tmp.path().join("group.hex");
    let group = group_file.to_str().unwrap();
    let o = create("3", &pks, &["--out", group]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let findings = stderr(&o);
    assert!(findings.contains("liveness margin: 1") && findings.contains("safety margin: 1"), "{findings}");

    // The group key alone on stdout without --out, identical to the file.
    let printed = create("3", &pks, &[]);
    assert_eq!(stdout(&printed), std::fs::read_to_string(&group_file).unwrap().trim());

    let shares: Vec<String> = dirs.iter().map(|d| share(d, "9", MSG)).collect();
    // Two shares are below the threshold: exit 1 with the reason.
    let short = combine(group, &shares[..2]);
    assert_eq!(short.status.code(), Some(1));
    assert!(stderr(&short).contains("fewer than m valid distinct shares"), "{}", stderr(&short));
    // A duplicate does not count twice.
    let dup = combine(group, &[shares[0].clone(), shares[0].clone(), shares[1].clone()]);
    assert_eq!(dup.status.code(), Some(1));

    // Shares in any order, one of them for another message: three valid distinct ones suffice.
    let stray = share(&dirs[0], "10", OTHER);
    let ok = combine(group, &[shares[3].clone(), stray, shares[1].clone(), shares[0].clone()]);
    assert_eq!(ok.status.code(), Some(0), "{ok:?}");
    let signature = stdout(&ok);

    let valid = verify(group, "9", MSG, &signature);
    assert_eq!((valid.status.code(), stdout(&valid)), (Some(0), "valid".to_string()));
    for (epoch, msg, sig) in [("10", MSG, signature.as_str()), ("9", OTHER, &signature), ("9", MSG, "00ff")] {
        let bad = verify(group, epoch, msg, sig);
        assert_eq!(bad.status.code(), Some(1), "{bad:?}");
        assert!(stdout(&bad).starts_with("invalid: "), "{}", stdout(&bad));
    }

    // A group file whose hex is wrapped across lines (with a `0x` and trailing blanks) reads the same.
    let text = std::fs::read_to_string(&group_file).unwrap();
    let wrapped: Vec<String> =
        text.trim().as_bytes().chunks(64).map(|c| String::from_utf8_lossy(c).into()).collect();
    let wrapped_file = tmp.path().join("wrapped.hex");
    std::fs::write(&wrapped_file, format!("0x{}  \n", wrapped.join("\n"))).unwrap();
    let wrapped_ok = verify(wrapped_file.to_str().unwrap(), "9", MSG, &signature);
    assert_eq!(
        (wrapped_ok.status.code(), stdout(&wrapped_ok)),
        (Some(0), "valid".to_string()),
        "{wrapped_ok:?}"
    );

    // Another roster (a 3-of-3 of the first three keys) does not accept the signature.
    let other_file = tmp.path().join("other.hex");
    let other = other_file.to_str().unwrap();
    assert_eq!(create("3", &pks[..3], &["--out", other]).status.code(), Some(0));
    let foreign = verify(other, "9", MSG, &signature);
    assert_eq!(foreign.status.code(), Some(1));
    assert!(stdout(&foreign).contains("another group"), "{}", stdout(&foreign));

    // A group pinned to devnet4 refuses test-instance shares; one pinned to test accepts them.
    let pinned_file = tmp.path().join("pinned.hex");
    let pinned = pinned_file.to_str().unwrap();
    assert_eq!(create("3", &pks, &["--instance", "devnet4", "--out", pinned]).status.code(), Some(0));
    assert_eq!(combine(pinned, &shares).status.code(), Some(1));
    assert_eq!(create("3", &pks, &["--instance", "test", "--out", pinned]).status.code(), Some(0));
    assert_eq!(combine(pinned, &shares).status.code(), Some(0));
}

#[test]
fn the_linter_refuses_disjoint_quorums_with_exit_4() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, pks) = members(tmp.path(), 4);
    let refused = create("2", &pks, &[]);
    assert_eq!(refused.status.code(), Some(4), "{refused:?}");
    assert!(stderr(&refused).contains("disjoint quorums"), "{}", stderr(&refused));
    assert!(stdout(&refused).is_empty());
    let backup = create("2", &pks, &["--allow-backup"]);
    assert_eq!(backup.status.code(), Some(0), "{backup:?}");
    assert!(stderr(&backup).contains("warning"), "{}", stderr(&backup));
    // Usage errors stay exit 2; malformed keys are exit 1.
    assert_eq!(create("0", &pks, &[]).status.code(), Some(4));
    assert_eq!(create("5", &pks, &[]).status.code(), Some(4));
    let dup = create("2", &[pks[0].clone(), pks[0].clone(), pks[1].clone()], &[]);
    assert_eq!(dup.status.code(), Some(1), "a repeated key is malformed input, not a threshold finding");
    assert_eq!(ndvt(&["group", "create", "--threshold", "2"]).status.code(), Some(2));
    assert_eq!(create("1", &["00ff".to_string()], &[]).status.code(), Some(1));
}

#[test]
fn a_member_never_signs_two_messages_for_one_epoch() {
    let tmp = tempfile::tempdir().unwrap();
    let (dirs, _) = members(tmp.path(), 1);
    let first = share(&dirs[0], "5", MSG);
    assert_eq!(share(&dirs[0], "5", MSG), first, "identical repeat, identical share");
    let o = ndvt(&["group", "sign", "--key", &dirs[0], "--epoch", "5", "--message", OTHER]);
    assert_eq!(o.status.code(), Some(3), "{o:?}");
}
