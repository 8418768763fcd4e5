//! `ndvt key export|import --keystore` and `ndvt key history export|import` end to end (docs/KEYSTORE.md):
//! production KDF parameters, passwords from files and variables, and every exit code.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::*;

const MSG: &str = "abababababababababababababababababababababababababababababababab";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

struct Fixture {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    password: PathBuf,
}

impl Fixture {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        let password = root.join("pw");
        std::fs::write(&password, "hunter2 but longer\n").unwrap();
        Fixture { _tmp: tmp, root, password }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// A fresh test key that has signed epochs `0..signed`.
    fn key(&self, name: &str, signed: u64) -> PathBuf {
        let dir = self.path(name);
        let o =
            ndvt(&["key", "generate", "--instance", "test", "--activation-epochs", "64", "--out", s(&dir)]);
        assert_eq!(o.status.code(), Some(0), "{o:?}");
        for e in 0..signed {
            let o = sign(&dir, e);
            assert_eq!(o.status.code(), Some(0), "{o:?}");
        }
        dir
    }

    fn export(&self, dir: &Path, file: &Path, extra: &[&str]) -> Output {
        let mut args = vec![
            "key",
            "export",
            "--key",
            s(dir),
            "--keystore",
            s(file),
            "--password-file",
            s(&self.password),
        ];
        args.extend_from_slice(extra);
        ndvt(&args)
    }

    fn import(&self, file: &Path, out: &Path, extra: &[&str]) -> Output {
        let mut args = vec![
            "key",
            "import",
            "--keystore",
            s(file),
            "--out",
            s(out),
            "--password-file",
            s(&self.password),
        ];
        args.extend_from_slice(extra);
        ndvt(&args)
    }
}

fn sign(dir: &Path, epoch: u64) -> Output {
    ndvt(&["key", "sign", "--key", s(dir), "--epoch", &epoch.to_string(), "--message", MSG])
}

fn next_epoch(dir: &Path) -> u64 {
    let o = ndvt(&["key", "info", "--key", s(dir)]);
    let info = stdout(&o);
    let line = info.lines().find(|l| l.starts_with("next signable epoch: ")).unwrap();
    line["next signable epoch: ".len()..].parse().unwrap()
}

fn public(dir: &Path) -> String {
    stdout(&ndvt(&["key", "public", "--key", s(dir)]))
}

#[test]
fn export_and_import_round_trip_without_reopening_an_epoch() {
    let f = Fixture::new();
    let a = f.key("a", 5);
    let file = f.path("a.json");
    let o = f.export(&a, &file, &[]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(json["version"], 5);
    assert_eq!(json["crypto"]["kdf"]["function"], "argon2id");
    assert_eq!(json["state"]["high_water"], 4);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // Never over an existing file.
    assert_eq!(f.export(&a, &file, &[]).status.code(), Some(1));

    // Into a new directory: --first-epoch is required (exit 2) and nothing is created.
    let b = f.path("b");
    let o = f.import(&file, &b, &[]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(stderr(&o).contains("--first-epoch"), "{}", stderr(&o));
    assert!(!b.join("record").exists());
    // With one below the snapshot, the snapshot wins.
    let o = f.import(&file, &b, &["--first-epoch", "1"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(stdout(&o), public(&a));
    assert_eq!(next_epoch(&b), 5);
    assert_eq!(sign(&b, 4).status.code(), Some(3), "an epoch the original signed stays refused");

    // The original signs on; its old keystore re-imported into it changes nothing.
    assert_eq!(sign(&a, 9).status.code(), Some(0));
    let o = f.import(&file, &a, &[]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(next_epoch(&a), 10, "never lowered");

    // A directory of the key whose record is behind the snapshot: refused (exit 3), untouched.
    let newer = f.path("a-newer.json");
    assert_eq!(f.export(&a, &newer, &["--kdf", "scrypt"]).status.code(), Some(0));
    let o = f.import(&newer, &b, &[]);
    assert_eq!(o.status.code(), Some(3), "{o:?}");
    assert_eq!(next_epoch(&b), 5);
}

#[test]
fn the_secret_key_form_of_import_still_works_exactly() {
    let f = Fixture::new();
    let a = f.key("a", 0);
    let sk = a.join("secret.ssz");
    let b = f.path("b");
    // --first-epoch stays required for a raw secret key.
    let o = ndvt(&["key", "import", "--instance", "test", "--secret-key", s(&sk), "--out", s(&b)]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let o = ndvt(&[
        "key",
        "import",
        "--instance",
        "test",
        "--secret-key",
        s(&sk),
        "--out",
        s(&b),
        "--first-epoch",
        "3",
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(stdout(&o), public(&a));
    assert_eq!(next_epoch(&b), 3);
    // The two forms do not mix, and a password belongs to a keystore.
    let c = s(&f.path("c")).to_string();
    for args in [
        vec!["key", "import", "--instance", "test", "--keystore", "x.json", "--out", &c],
        vec!["key", "import", "--secret-key", s(&sk), "--keystore", "x.json", "--out", &c],
        vec!["key", "import", "--secret-key", s(&sk), "--out", &c, "--first-epoch", "1"],
        vec!["key", "import", "--out", &c, "--first-epoch", "1"],
        vec![
            "key",
            "import",
            "--instance",
            "test",
            "--secret-key",
            s(&sk),
            "--out",
            &c,
            "--first-epoch",
            "1",
            "--password-file",
            s(&f.password),
        ],
    ] {
        let o = ndvt(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {o:?}");
    }
}

#[test]
fn passwords_come_from_a_file_a_variable_or_a_terminal_only() {
    let f = Fixture::new();
    let a = f.key("a", 2);
    let file = f.path("a.json");
    // No source and no terminal: a usage error, not a hang.
    let o = Command::new(env!("CARGO_BIN_EXE_ndvt"))
        .args(["key", "export", "--key", s(&a), "--keystore", s(&file)])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let o = Command::new(env!("CARGO_BIN_EXE_ndvt"))
        .args(["key", "export", "--key", s(&a), "--keystore", s(&file), "--password-env", "NDVT_TEST_PW"])
        .env("NDVT_TEST_PW", "hunter2 but longer")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    // The file's trailing newline is normalised away: the same password opens it.
    let o = f.import(&file, &f.path("b"), &["--first-epoch", "0"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    // A wrong password is invalid input (exit 1) and says so.
    std::fs::write(f.path("wrong"), "nope").unwrap();
    let o = ndvt(&[
        "key",
        "import",
        "--keystore",
        s(&file),
        "--out",
        s(&f.path("c")),
        "--first-epoch",
        "0",
        "--password-file",
        s(&f.path("wrong")),
    ]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(stderr(&o).contains("wrong password"), "{}", stderr(&o));
    let o = ndvt(&[
        "key",
        "export",
        "--key",
        s(&a),
        "--keystore",
        s(&f.path("d.json")),
        "--password-env",
        "NDVT_UNSET_VARIABLE",
    ]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    // A tampered keystore is refused as such.
    let mut json: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let ct = json["crypto"]["cipher"]["message"].as_str().unwrap().to_string();
    json["crypto"]["cipher"]["message"] =
        serde_json::json!(format!("{}{}", if ct.starts_with('0') { "1" } else { "0" }, &ct[1..]));
    std::fs::write(f.path("t.json"), serde_json::to_vec(&json).unwrap()).unwrap();
    let o = f.import(&f.path("t.json"), &f.path("e"), &["--first-epoch", "0"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(stderr(&o).contains("tampered"), "{}", stderr(&o));
}

#[test]
fn history_export_and_import_raise_the_watermark_only() {
    let f = Fixture::new();
    let a = f.key("a", 8);
    let history = f.path("history.json");
    let o = ndvt(&["key", "history", "export", "--key", s(&a), "--out", s(&history)]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&history).unwrap()).unwrap();
    assert_eq!(json["metadata"]["interchange_format_version"], "5");
    assert_eq!(json["data"][0]["pubkey"], format!("0x{}", public(&a)));
    assert_eq!(json["data"][0]["signed_blocks"][0]["slot"], "7");

    // The same key imported elsewhere from its secret key at a first epoch too low: the history fixes it.
    let b = f.path("b");
    let o = ndvt(&[
        "key",
        "import",
        "--instance",
        "test",
        "--secret-key",
        s(&a.join("secret.ssz")),
        "--out",
        s(&b),
        "--first-epoch",
        "2",
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(sign(&b, 3).status.code(), Some(0));
    let o = ndvt(&["key", "history", "import", "--key", s(&b), "--file", s(&history)]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(stdout(&o), "next signable epoch: 8");
    assert_eq!(sign(&b, 7).status.code(), Some(3));
    // Importing it again, or into the original, lowers nothing.
    assert_eq!(sign(&a, 20).status.code(), Some(0));
    let o = ndvt(&["key", "history", "import", "--key", s(&a), "--file", s(&history)]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(next_epoch(&a), 21);
    // Another chain's file is refused.
    let o = ndvt(&[
        "key",
        "history",
        "import",
        "--key",
        s(&b),
        "--file",
        s(&history),
        "--genesis-validators-root",
        &"11".repeat(32),
    ]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    // Never over an existing file.
    assert_eq!(
        ndvt(&["key", "history", "export", "--key", s(&a), "--out", s(&history)]).status.code(),
        Some(1)
    );
}
