//! Regression tests for the adversarial review of the durable signer (issue 13): each test is one way the
//! review signed an epoch twice, and fails on the code the review examined (dcc760f).
//!
//! TestInstance keys active on the whole lifetime `[0, 256)`, prepared window `[0, 32)`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::fs;
use std::path::{Path, PathBuf};

use ndvt_xmss::durable::Record;
use ndvt_xmss::{DurableError, DurableSigner, SecretKey, SignError, TestInstance};

type T = TestInstance;

fn scratch(tag: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("review-{tag}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&path);
    fs::create_dir_all(&path).unwrap();
    path
}

fn signer(dir: &Path, seed: u8) -> DurableSigner<T> {
    let (sk, _) = SecretKey::<T>::from_seed(&[seed; 32], 0, 256).unwrap();
    DurableSigner::create(dir, sk, 0).unwrap()
}

/// Finding 4: a request the key must refuse never moves the prepared window, whatever the refusal.
#[test]
fn refusals_leave_the_prepared_window_where_it_was() {
    let root = scratch("window");
    let mut s = signer(&root.join("k"), 1);
    s.sign_at(5, &[1; 32]).unwrap();
    assert_eq!(s.prepared(), 0..32);

    // Beyond the activation end: refused before any advance (the review saw the window jump to [224, 256)).
    let beyond = s.prepare_until(300);
    assert!(matches!(beyond, Err(DurableError::Sign(SignError::OutsideActivation { epoch: 300, .. }))));
    assert!(matches!(
        s.sign_at(300, &[2; 32]),
        Err(DurableError::Sign(SignError::OutsideActivation { epoch: 300, .. }))
    ));
    assert_eq!(s.prepared(), 0..32);
    // At or below the watermark: nothing to prepare, and signing refuses.
    s.prepare_until(3).unwrap();
    assert!(matches!(s.sign_at(3, &[2; 32]), Err(DurableError::EpochUsed { epoch: 3, next: 6 })));
    assert!(matches!(s.sign_at(5, &[2; 32]), Err(DurableError::DifferentMessage { epoch: 5 })));
    assert_eq!(s.prepared(), 0..32);
    // Not prepared yet: refused without advancing (advancing is the caller's explicit, off-path step).
    assert!(matches!(s.sign_at(100, &[2; 32]), Err(DurableError::Sign(SignError::NotPrepared { .. }))));
    assert_eq!(s.prepared(), 0..32);
    // The epochs that were signable still are.
    s.sign_at(6, &[3; 32]).unwrap();
    s.sign_at(31, &[3; 32]).unwrap();
    drop(s);
    let reopened = DurableSigner::<T>::open(&root.join("k")).unwrap();
    assert_eq!(reopened.prepared(), 0..32);
    let _ = fs::remove_dir_all(&root);
}

/// Finding 5: merging a record raises the watermark and nothing else; it never adopts another record's last
/// message, which would make a second message at a used epoch pass as an identical repeat.
#[test]
fn merging_a_record_never_reopens_a_used_epoch() {
    let root = scratch("merge");
    let mut s = signer(&root.join("k"), 2);
    let (m1, m2) = ([1; 32], [2; 32]);
    s.sign_at(5, &m1).unwrap();
    assert!(matches!(s.sign_at(5, &m2), Err(DurableError::DifferentMessage { epoch: 5 })));

    s.merge_record(Record { next_epoch: 10, last: Some((5, m2)) }).unwrap();
    assert_eq!(s.record(), Record { next_epoch: 10, last: Some((5, m1)) });
    assert!(s.sign_at(5, &m2).is_err(), "a second message at epoch 5 was signed");
    // The genuine repeat still gives the same bytes, and the merged watermark holds across a restart.
    let again = s.sign_at(5, &m1).unwrap();
    drop(s);
    let mut s = DurableSigner::<T>::open(&root.join("k")).unwrap();
    assert!(s.sign_at(5, &m2).is_err());
    assert!(matches!(s.sign_at(9, &m2), Err(DurableError::EpochUsed { epoch: 9, next: 10 })));
    assert_eq!(s.sign_at(5, &m1).unwrap().to_bytes(), again.to_bytes());
    let _ = fs::remove_dir_all(&root);
}

/// Finding 6: a record copied from another key's directory is refused on open, with a typed error, instead of
/// resetting this key's watermark.
#[test]
fn a_record_copied_from_another_key_is_refused() {
    let root = scratch("copied-record");
    let (a, b) = (root.join("a"), root.join("b"));
    let mut used = signer(&a, 3);
    used.sign_at(5, &[1; 32]).unwrap();
    drop(used);
    drop(signer(&b, 4)); // a fresh key: watermark none
    fs::copy(b.join("record"), a.join("record")).unwrap();

    assert!(matches!(DurableSigner::<T>::open(&a), Err(DurableError::RecordOfAnotherKey)));
    assert!(matches!(DurableSigner::<T>::inspect(&a), Err(DurableError::RecordOfAnotherKey)));
    // Restoring from such a directory is refused too, into a new directory as into the live one.
    assert!(matches!(
        DurableSigner::<T>::restore(&a, &root.join("c"), 0),
        Err(DurableError::RecordOfAnotherKey)
    ));
    let _ = fs::remove_dir_all(&root);
}

/// Finding 1, library side: the same seed gives the same key, so a second directory made from it is an import
/// whose explicit first epoch keeps it off every epoch the first may have signed.
#[test]
fn a_key_re_derived_from_its_seed_starts_at_its_explicit_first_epoch() {
    let root = scratch("reseed");
    let mut first = signer(&root.join("a"), 5);
    first.sign_at(5, &[1; 32]).unwrap();
    let (again, _) = SecretKey::<T>::from_seed(&[5; 32], 0, 256).unwrap();
    assert_eq!(again.public_key(), first.public_key());
    let mut second = DurableSigner::create(&root.join("b"), again, 6).unwrap();
    assert!(matches!(second.sign_at(5, &[2; 32]), Err(DurableError::EpochUsed { epoch: 5, next: 6 })));
    second.sign_at(6, &[2; 32]).unwrap();
    let _ = fs::remove_dir_all(&root);
}

/// Finding 9: every file of a key directory is read with a cap; an endless or oversized one is refused.
#[test]
fn oversized_key_files_are_refused_without_reading_them_whole() {
    let root = scratch("oversized");
    let dir = root.join("k");
    drop(signer(&dir, 6));
    let good = fs::read(dir.join("record")).unwrap();
    fs::write(dir.join("record"), vec![0u8; 1 << 20]).unwrap();
    assert!(matches!(
        DurableSigner::<T>::open(&dir),
        Err(DurableError::TooLarge { what: "signing record", .. })
    ));
    fs::write(dir.join("record"), &good).unwrap();
    let secret = fs::read(dir.join("secret.ssz")).unwrap();
    assert!(secret.len() <= SecretKey::<T>::MAX_ENCODED_LEN);
    fs::write(dir.join("secret.ssz"), vec![0u8; SecretKey::<T>::MAX_ENCODED_LEN + 1]).unwrap();
    assert!(matches!(DurableSigner::<T>::open(&dir), Err(DurableError::TooLarge { what: "secret key", .. })));
    #[cfg(unix)]
    {
        fs::remove_file(dir.join("secret.ssz")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.join("secret.ssz")).unwrap();
        assert!(matches!(DurableSigner::<T>::open(&dir), Err(DurableError::TooLarge { .. })));
    }
    let _ = fs::remove_dir_all(&root);
}

/// Finding 9: inspecting a key takes no lock and writes nothing, so it works on a read-only directory and
/// while the key's signer runs.
#[test]
fn inspecting_needs_no_lock_and_writes_nothing() {
    let root = scratch("inspect");
    let dir = root.join("k");
    let mut live = signer(&dir, 7);
    live.sign_at(9, &[1; 32]).unwrap();
    let status = DurableSigner::<T>::inspect(&dir).unwrap();
    assert_eq!(
        (status.record.watermark(), status.prepared.clone(), status.remaining()),
        (Some(9), 0..32, 246)
    );
    drop(live);
    fs::remove_file(dir.join("lock")).unwrap();
    let before: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    DurableSigner::<T>::inspect(&dir).unwrap();
    let after: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(before, after, "inspect created a file");
    let _ = fs::remove_dir_all(&root);
}
