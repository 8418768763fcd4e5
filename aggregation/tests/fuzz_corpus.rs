//! The fuzz targets' checks on stable: every committed corpus file under `fuzz/corpus/<target>/` is replayed
//! through the same check libFuzzer runs (`fuzz/src/checks/`, included by path), so a regression is caught
//! without nightly or libFuzzer. The seeds are generated here too: `NDVT_WRITE_FUZZ_CORPUS=1 cargo test -p
//! ndvt-aggregation --test fuzz_corpus` (re)writes them; without the variable the test checks that every
//! seed is committed unchanged.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../fuzz/src/checks/mod.rs"]
mod checks;
#[path = "../../xmss/tests/vectors.rs"]
mod vectors;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use checks::seeds::{Devnet4Sample, seeds};

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus").join(target)
}

fn devnet4_sample() -> Devnet4Sample {
    let v = vectors::json("leansig/leansig_prod_lifetime2_32.json");
    let key = &v["keys"][0];
    let s = &key["signatures"][5];
    Devnet4Sample {
        public_key: vectors::bytes(&key["public_key"]),
        epoch: u32::try_from(s["epoch"].as_u64().unwrap()).unwrap(),
        message: vectors::message(&s["message"]),
        signature: vectors::bytes(&s["signature"]),
    }
}

#[test]
fn every_corpus_file_passes_its_check() {
    let mut failures = Vec::new();
    for (target, check) in checks::TARGETS {
        let dir = corpus_dir(target);
        let entries =
            std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("corpus {} is missing: {e}", dir.display()));
        let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
        files.sort();
        assert!(!files.is_empty(), "corpus {} is empty", dir.display());
        for file in files {
            let data = std::fs::read(&file).unwrap();
            if catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
                failures.push(file.display().to_string());
            }
        }
    }
    assert!(failures.is_empty(), "corpus files that fail their check: {failures:#?}");
}

#[test]
fn seeds_are_committed() {
    let sample = devnet4_sample();
    let write = std::env::var_os("NDVT_WRITE_FUZZ_CORPUS").is_some();
    for (target, _) in checks::TARGETS {
        let dir = corpus_dir(target);
        for (name, bytes) in seeds(target, &sample) {
            let path = dir.join(format!("seed-{name}"));
            if write {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &bytes).unwrap();
            } else {
                let committed = std::fs::read(&path).unwrap_or_else(|e| {
                    panic!("{} is missing ({e}): run with NDVT_WRITE_FUZZ_CORPUS=1", path.display())
                });
                assert!(committed == bytes, "{} differs from its generator", path.display());
            }
        }
    }
}

#[test]
fn seeds_pass_their_checks() {
    let sample = devnet4_sample();
    for (target, check) in checks::TARGETS {
        for (name, bytes) in seeds(target, &sample) {
            if catch_unwind(AssertUnwindSafe(|| check(&bytes))).is_err() {
                panic!("seed {target}/{name} fails its check");
            }
        }
    }
}
