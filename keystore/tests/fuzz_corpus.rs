//! The `decode_keystore` fuzz target's committed corpus, replayed on stable through the same check libFuzzer
//! runs (`fuzz/src/keystore.rs`, included by path), so a regression is caught without libFuzzer.
//! `NDVT_WRITE_FUZZ_CORPUS=1` rewrites the seeds; otherwise the committed seeds must equal their generator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../../fuzz/src/keystore.rs"]
mod check;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use ndvt_keystore::{Interchange, Kdf, Keystore, Password, Snapshot};
use ndvt_xmss::{SecretKey, TestInstance};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;

fn corpus_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/corpus/decode_keystore"))
}

/// Valid inputs that drive the check through its accepting paths: keystores under both KDFs (within the
/// fuzzing limits, so the decryption runs) and interchange files, each behind its selector byte.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let (key, _) = SecretKey::<TestInstance>::from_seed(&[9; 32], 0, 32).unwrap();
    let keystore = |kdf: Kdf, next: u64, rng_seed: u8| {
        let snapshot = Snapshot::of_record(key.activation(), next, None);
        let mut rng = ChaCha20Rng::from_seed([rng_seed; 32]);
        let pw = Password::new(check::PASSWORD);
        let ks =
            Keystore::encrypt(&key.to_bytes(), &key.public_key(), 0, snapshot, &pw, kdf, &mut rng).unwrap();
        let mut out = vec![0u8];
        out.extend_from_slice(ks.to_json().as_bytes());
        out
    };
    let history = |next: u64| {
        let mut out = vec![1u8];
        out.extend_from_slice(
            Interchange::for_key(&key.public_key().to_bytes(), [3; 32], 0, next).to_json().as_bytes(),
        );
        out
    };
    vec![
        (
            "seed-keystore-argon2id".into(),
            keystore(Kdf::Argon2id { memory_kib: 64, iterations: 1, lanes: 1 }, 5, 1),
        ),
        ("seed-keystore-scrypt".into(), keystore(Kdf::Scrypt { log_n: 4, r: 8, p: 1 }, 0, 2)),
        ("seed-interchange".into(), history(12)),
        ("seed-interchange-empty".into(), history(0)),
    ]
}

#[test]
fn every_corpus_file_passes_the_check() {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(corpus_dir()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    files.sort();
    assert!(!files.is_empty(), "the decode_keystore corpus is empty");
    let failures: Vec<String> = files
        .iter()
        .filter(|f| {
            let data = std::fs::read(f).unwrap();
            catch_unwind(AssertUnwindSafe(|| check::decode_keystore(&data))).is_err()
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(failures.is_empty(), "corpus files that fail the check: {failures:#?}");
}

#[test]
fn seeds_are_committed_and_accepted() {
    let write = std::env::var_os("NDVT_WRITE_FUZZ_CORPUS").is_some();
    for (name, bytes) in seeds() {
        let path = corpus_dir().join(&name);
        if write {
            std::fs::create_dir_all(corpus_dir()).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        } else {
            let committed = std::fs::read(&path).unwrap_or_else(|e| {
                panic!("{} is missing ({e}): run with NDVT_WRITE_FUZZ_CORPUS=1", path.display())
            });
            assert!(committed == bytes, "{} differs from its generator", path.display());
        }
        // Each seed takes the accepting path: the check's parsers accept it.
        let (selector, file) = bytes.split_first().unwrap();
        if selector % 2 == 0 {
            let ks = Keystore::from_json_with_limits(file, &check::limits()).unwrap();
            ks.decrypt::<TestInstance>(&Password::new(check::PASSWORD)).unwrap();
        } else {
            Interchange::from_json(file).unwrap();
        }
        check::decode_keystore(&bytes);
    }
}
