//! Import and export against real key directories: every path by which an epoch could be signed twice.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use ndvt_keystore::interchange::Interchange;
use ndvt_keystore::{ImportError, ImportOutcome, InterchangeError, Keystore, KeystoreError, Password};
use ndvt_keystore::{export_key_dir, import_history, import_keystore};
use ndvt_xmss::{DurableError, DurableSigner, TestInstance};

type Signer = DurableSigner<TestInstance>;

/// A key directory of `test_key(seed)` that has signed epochs 0..signed.
fn key_dir(dir: &std::path::Path, seed: u8, signed: u64) {
    let mut s = Signer::create(dir, test_key(seed), 0).unwrap();
    for e in 0..signed {
        s.sign_at(e, &[e as u8; 32]).unwrap();
    }
}

fn next_epoch(dir: &std::path::Path) -> u64 {
    Signer::inspect(dir).unwrap().record.next_epoch
}

#[test]
fn export_then_import_starts_above_everything_signed() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    key_dir(&a, 1, 7);
    let ks = export_key_dir::<TestInstance, _>(&a, &password(), ARGON2_SMALL, &mut rng()).unwrap();
    assert_eq!(ks.snapshot().high_water, Some(6));
    let ks = Keystore::from_json(ks.to_json().as_bytes()).unwrap();
    // No record at the target: the snapshot alone never suffices.
    assert!(matches!(
        import_keystore::<TestInstance>(&ks, &password(), &b, None),
        Err(ImportError::FirstEpochRequired { floor: 7 })
    ));
    assert!(!b.join("record").exists(), "a refused import creates nothing");
    // An explicit first epoch below the snapshot is raised to it; the key is the same.
    let outcome = import_keystore::<TestInstance>(&ks, &password(), &b, Some(2)).unwrap();
    assert_eq!(outcome, ImportOutcome::Created { next_epoch: 7 });
    let mut imported = Signer::open(&b).unwrap();
    assert_eq!(imported.public_key(), test_key(1).public_key());
    assert!(imported.sign_at(6, &[9; 32]).unwrap_err().is_refusal());
    imported.sign_at(7, &[9; 32]).unwrap();
    // Above the snapshot, the operator's number wins.
    let c = tmp.path().join("c");
    assert_eq!(
        import_keystore::<TestInstance>(&ks, &password(), &c, Some(40)).unwrap(),
        ImportOutcome::Created { next_epoch: 40 }
    );
}

#[test]
fn an_import_behind_the_snapshot_is_refused_and_nothing_is_lowered() {
    let tmp = tempfile::tempdir().unwrap();
    let (live, stale) = (tmp.path().join("live"), tmp.path().join("stale"));
    key_dir(&live, 1, 10);
    let ks = export_key_dir::<TestInstance, _>(&live, &password(), ARGON2_SMALL, &mut rng()).unwrap();
    // A directory of the same key whose record is behind the keystore (a stale restore).
    key_dir(&stale, 1, 3);
    let r = import_keystore::<TestInstance>(&ks, &password(), &stale, None);
    assert!(matches!(r, Err(ImportError::WatermarkBehind { record_next: 3, snapshot_next: 10 })), "{r:?}");
    assert!(r.unwrap_err().is_refusal());
    assert_eq!(next_epoch(&stale), 3, "the refused import left the record alone");
    // The live directory itself is at the snapshot: importing changes nothing, never lowers.
    key_dir_sign_more(&live, 10, 15);
    assert_eq!(
        import_keystore::<TestInstance>(&ks, &password(), &live, None).unwrap(),
        ImportOutcome::AlreadyPresent { next_epoch: 15 }
    );
    assert_eq!(next_epoch(&live), 15);
    // A first epoch given with an existing directory only raises.
    assert_eq!(
        import_keystore::<TestInstance>(&ks, &password(), &live, Some(12)).unwrap(),
        ImportOutcome::AlreadyPresent { next_epoch: 15 }
    );
    assert_eq!(
        import_keystore::<TestInstance>(&ks, &password(), &live, Some(20)).unwrap(),
        ImportOutcome::AlreadyPresent { next_epoch: 20 }
    );
    // A wrong password into an existing directory is still an error, never a silent success.
    assert!(matches!(
        import_keystore::<TestInstance>(&ks, &Password::new("x"), &live, None),
        Err(ImportError::Keystore(KeystoreError::WrongPassword))
    ));
}

fn key_dir_sign_more(dir: &std::path::Path, from: u64, to: u64) {
    let mut s = Signer::open(dir).unwrap();
    for e in from..to {
        s.sign_at(e, &[1; 32]).unwrap();
    }
}

#[test]
fn another_key_and_a_live_signer_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, other) = (tmp.path().join("a"), tmp.path().join("other"));
    key_dir(&a, 1, 2);
    key_dir(&other, 2, 0);
    let ks = export_key_dir::<TestInstance, _>(&a, &password(), ARGON2_SMALL, &mut rng()).unwrap();
    assert!(matches!(
        import_keystore::<TestInstance>(&ks, &password(), &other, None),
        Err(ImportError::KeyMismatch)
    ));
    // Export takes the lock: while a signer runs, its record could move under the snapshot.
    let _running = Signer::open(&a).unwrap();
    let r = export_key_dir::<TestInstance, _>(&a, &password(), ARGON2_SMALL, &mut rng());
    assert!(matches!(r, Err(ImportError::Durable(DurableError::Locked(_)))), "{r:?}");
}

#[test]
fn history_round_trip_raises_and_never_lowers() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    key_dir(&a, 1, 12);
    let pk = test_key(1).public_key().to_bytes();
    let history = Interchange::for_key(&pk, [0; 32], 0, next_epoch(&a));
    let history = Interchange::from_json(history.to_json().as_bytes()).unwrap();
    assert_eq!(history.highest_epoch_for(&pk).unwrap(), Some(11));
    // The same key elsewhere, imported at a low first epoch: the history raises it above slot 11.
    Signer::create(&b, test_key(1), 4).unwrap();
    assert_eq!(import_history::<TestInstance>(&b, &history).unwrap(), (4, 12));
    assert!(Signer::open(&b).unwrap().sign_at(11, &[3; 32]).unwrap_err().is_refusal());
    // A history below the record changes nothing.
    let low = Interchange::for_key(&pk, [0; 32], 0, 5);
    assert_eq!(import_history::<TestInstance>(&b, &low).unwrap(), (12, 12));
    // An empty history (nothing signed) changes nothing either.
    let none = Interchange::for_key(&pk, [0; 32], 0, 0);
    assert_eq!(import_history::<TestInstance>(&b, &none).unwrap(), (12, 12));
    // A history of another key is refused, so an operator notices the wrong file.
    let other = Interchange::for_key(&test_key(2).public_key().to_bytes(), [0; 32], 0, 50);
    assert!(matches!(
        import_history::<TestInstance>(&b, &other),
        Err(ImportError::Interchange(InterchangeError::NoEntryForKey(_)))
    ));
    assert_eq!(next_epoch(&b), 12);
}
