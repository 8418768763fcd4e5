//! The repository carries its own interop vectors (`testdata/vectors`): tests read that copy unless
//! `NDVT_VECTORS` says otherwise, the copy holds every set its README describes, and when the shared sets
//! (`../shared/vectors`) are checked out beside the repository, the copy is byte-identical to them, so a later
//! update of the shared sets is noticed here.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod vectors;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The data files of one set folder (everything but its README), by name, sorted.
fn data_files(set_dir: &Path) -> Vec<String> {
    let entries = std::fs::read_dir(set_dir).unwrap_or_else(|e| panic!("{}: {e}", set_dir.display()));
    let mut names: Vec<String> = entries
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name != "README.md")
        .collect();
    names.sort();
    names
}

#[test]
fn tests_read_the_in_repository_copy_unless_ndvt_vectors_is_set() {
    let default = vectors::dir_from(None);
    assert_eq!(default, vectors::in_repo());
    let root = vectors::workspace_root().canonicalize().unwrap();
    let resolved = default.canonicalize().unwrap_or_else(|e| panic!("{}: {e}", default.display()));
    assert!(
        resolved.starts_with(&root),
        "{} lies outside the repository {}",
        resolved.display(),
        root.display()
    );
    // An empty variable is treated as unset, as a shell's `NDVT_VECTORS= cargo test` means.
    assert_eq!(vectors::dir_from(Some(OsString::new())), vectors::in_repo());
    assert_eq!(vectors::dir_from(Some("/elsewhere/vectors".into())), PathBuf::from("/elsewhere/vectors"));
}

#[test]
fn this_binary_runs_in_the_checkout_it_was_built_from() {
    // Cargo runs a test in its package's folder. A binary built in another checkout (say a stale one reused
    // through a shared target dir) would read that checkout's vectors and prove nothing about this one.
    let built_in = Path::new(env!("CARGO_MANIFEST_DIR")).canonicalize().unwrap();
    let running_in = std::env::current_dir().unwrap().canonicalize().unwrap();
    assert_eq!(built_in, running_in, "built in one checkout, running in another");
}

#[test]
fn every_in_repository_set_is_present_parses_and_is_described() {
    let readme = std::fs::read_to_string(vectors::in_repo().join("README.md")).unwrap();
    for set in vectors::SETS {
        let files = data_files(&vectors::in_repo().join(set));
        assert!(!files.is_empty(), "testdata/vectors/{set} holds no data file");
        for name in files {
            let relative = format!("{set}/{name}");
            let text = std::fs::read_to_string(vectors::in_repo().join(&relative)).unwrap();
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("testdata/vectors/{relative} is not JSON: {e}"));
            assert!(readme.contains(&relative), "testdata/vectors/README.md does not describe {relative}");
        }
    }
}

#[test]
fn the_in_repository_copy_equals_the_shared_sets_when_they_are_beside_the_repository() {
    let shared = vectors::beside_repo();
    if !shared.is_dir() {
        eprintln!(
            "SKIPPED: {} does not exist, so the in-repository copy cannot be compared with the shared sets",
            shared.display()
        );
        return;
    }
    let mut differences = Vec::new();
    for set in vectors::SETS {
        let (ours, theirs) = (vectors::in_repo().join(set), shared.join(set));
        let (our_files, their_files) = (data_files(&ours), data_files(&theirs));
        if our_files != their_files {
            differences
                .push(format!("{set}: files {our_files:?} here, {their_files:?} in {}", theirs.display()));
            continue;
        }
        for name in our_files {
            if std::fs::read(ours.join(&name)).unwrap() != std::fs::read(theirs.join(&name)).unwrap() {
                differences.push(format!("{set}/{name} differs from {}", theirs.join(&name).display()));
            }
        }
    }
    assert!(
        differences.is_empty(),
        "the shared vector sets changed; copy them into testdata/vectors and update its README:\n{}",
        differences.join("\n")
    );
}
