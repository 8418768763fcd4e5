// The durable-signer suite, included once per parameter set by `xmss/tests/durable.rs` with `T` bound to
// the set. Every set it runs on has lifetime 2^8, so keys span the whole lifetime `[0, 256)` with the
// prepared window `[0, 32)`; the sets differ in hash back-end, encoding, activation rule and layout, which
// is what the suite must not care about.

use ndvt_xmss::hazmat::RawSign;
use std::collections::HashMap;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier, Mutex};

use ndvt_xmss::durable::{OsStorage, PersistStep, Record, Storage};
use ndvt_xmss::{DurableError, DurableSigner, Instance, PublicKey, SecretKey, SignError};

// ---------------------------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------------------------

/// A fresh directory, removed on drop (no `tempfile` dev-dependency needed).
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("durable-{}-{tag}-{}-{n}", T::NAME, std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

const SEED: [u8; 32] = [0x17; 32];

/// The key every test signs with (deterministic, so a second copy gives the reference signatures).
fn key() -> (SecretKey<T>, PublicKey<T>) {
    let (sk, pk) = SecretKey::<T>::from_seed(&SEED, 0, 256).unwrap();
    assert_eq!((sk.activation(), sk.prepared()), (0..256, 0..32));
    (sk, pk)
}

/// What the key's signature of `(epoch, message)` must be: signing is deterministic.
fn reference(epoch: u64, message: &[u8; 32]) -> Vec<u8> {
    let (mut sk, _) = key();
    while sk.prepared().end <= epoch {
        sk.advance().unwrap();
    }
    sk.sign_raw(epoch, message).unwrap().to_bytes()
}

fn msg(tag: u8, epoch: u64) -> [u8; 32] {
    let mut m = [tag; 32];
    m[..8].copy_from_slice(&epoch.to_le_bytes());
    m
}

fn new_signer(dir: &Path) -> (DurableSigner<T>, PublicKey<T>) {
    let (sk, pk) = key();
    (DurableSigner::create(dir, sk, 0).unwrap(), pk)
}

fn sign_ok(signer: &mut DurableSigner<T>, pk: &PublicKey<T>, epoch: u64, message: &[u8; 32]) -> Vec<u8> {
    let bytes = signer.sign_at(epoch, message).unwrap().to_bytes();
    pk.verify_bytes(epoch, message, &bytes).unwrap();
    bytes
}

fn record_of(dir: &Path) -> Record {
    DurableSigner::<T>::open(dir).unwrap().record()
}

/// Copies a key directory's files (not its lock) while no signer holds it.
fn backup(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for name in ["instance", "secret.ssz", "public.ssz", "record"] {
        fs::copy(from.join(name), to.join(name)).unwrap();
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Persist-failure injection
// ---------------------------------------------------------------------------------------------------------------

const STEPS: [PersistStep; 4] =
    [PersistStep::Write, PersistStep::SyncFile, PersistStep::Rename, PersistStep::SyncDir];

fn step_index(step: PersistStep) -> usize {
    STEPS.iter().position(|&s| s == step).unwrap()
}

/// Shared between the test and the storage it hands to the signer.
#[derive(Default)]
struct Plan {
    /// Fail `step` on its `n`-th call (counted from the signer's creation).
    fail: Option<(PersistStep, u64)>,
    calls: [u64; 4],
    injected: u64,
}

/// [`OsStorage`] that fails one chosen step on its N-th call, the way the real failure would look:
/// a failed write leaves a half-written temporary file; a failed directory fsync comes after the rename.
#[derive(Clone, Default)]
struct FailingStorage(Arc<Mutex<Plan>>);

impl FailingStorage {
    /// Makes the `nth` call of `step` from now on fail (1 = the next call).
    fn arm(&self, step: PersistStep, nth: u64) {
        let mut plan = self.0.lock().unwrap();
        let n = plan.calls[step_index(step)] + nth;
        plan.fail = Some((step, n));
    }

    fn calls(&self, step: PersistStep) -> u64 {
        self.0.lock().unwrap().calls[step_index(step)]
    }

    fn injected(&self) -> u64 {
        self.0.lock().unwrap().injected
    }

    fn check(&self, step: PersistStep) -> io::Result<()> {
        let mut plan = self.0.lock().unwrap();
        let i = step_index(step);
        plan.calls[i] += 1;
        if plan.fail == Some((step, plan.calls[i])) {
            plan.injected += 1;
            return Err(io::Error::other(format!("injected failure at the {step}")));
        }
        Ok(())
    }
}

impl Storage for FailingStorage {
    fn write(&mut self, path: &Path, bytes: &[u8]) -> io::Result<File> {
        if let Err(e) = self.check(PersistStep::Write) {
            fs::write(path, &bytes[..bytes.len() / 2])?;
            return Err(e);
        }
        OsStorage.write(path, bytes)
    }

    fn sync_file(&mut self, file: &File) -> io::Result<()> {
        self.check(PersistStep::SyncFile)?;
        OsStorage.sync_file(file)
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        self.check(PersistStep::Rename)?;
        OsStorage.rename(from, to)
    }

    fn sync_dir(&mut self, dir: &Path) -> io::Result<()> {
        // The rename has happened: the new entry is visible, only its durability is in doubt.
        self.check(PersistStep::SyncDir)?;
        OsStorage.sync_dir(dir)
    }
}

fn assert_persist_error<V: core::fmt::Debug>(result: Result<V, DurableError>, step: PersistStep) {
    match result {
        Err(DurableError::Persist { step: s, .. }) => assert_eq!(s, step),
        other => panic!("expected Persist {{ step: {step:?} }}, got {other:?}"),
    }
}

/// Each step failing on its N-th call: the signature is withheld, and after a restart the record is the old
/// one (Write, SyncFile, Rename) or possibly the new one (SyncDir). Either way nothing was released, so the
/// epoch may be signed again — for any message when the old record survived.
#[test]
fn persist_failure_at_each_step_releases_nothing() {
    for step in STEPS {
        for nth in [1, 3] {
            let tmp = TempDir::new("persist");
            let dir = tmp.join("key");
            let storage = FailingStorage::default();
            let (sk, pk) = key();
            let mut signer =
                DurableSigner::create_with_storage(&dir, sk, 0, Box::new(storage.clone())).unwrap();
            // instance, public, secret and record; plus the parent directory's fsync that makes the key's
            // directory entry durable.
            let expected = if step == PersistStep::SyncDir { 5 } else { 4 };
            assert_eq!(storage.calls(step), expected, "create's file replacements");

            storage.arm(step, nth);
            // The calls before the N-th succeed and release their signatures.
            let mut epoch = 0;
            for _ in 1..nth {
                sign_ok(&mut signer, &pk, epoch, &msg(0xaa, epoch));
                epoch += 1;
            }
            let old = signer.record();
            let doomed = msg(0x01, epoch);
            assert_persist_error(signer.sign_at(epoch, &doomed), step);
            assert_eq!(storage.injected(), 1, "{step:?}");
            assert_eq!(
                signer.record(),
                old,
                "{step:?}: the handle's record moved although persisting failed"
            );
            assert_eq!(signer.next_epoch(), epoch);
            drop(signer);

            let new = Record { next_epoch: epoch + 1, last: Some((epoch, doomed)) };
            let mut reopened = DurableSigner::<T>::open(&dir).unwrap();
            let found = reopened.record();
            let other = msg(0x02, epoch);
            match step {
                PersistStep::Write | PersistStep::SyncFile | PersistStep::Rename => {
                    assert_eq!(found, old, "{step:?}: the old record must survive");
                    // Nothing was released for `doomed`, so a different message is correct now.
                    let sig = sign_ok(&mut reopened, &pk, epoch, &other);
                    assert_eq!(sig, reference(epoch, &other));
                    assert!(matches!(
                        reopened.sign_at(epoch, &doomed),
                        Err(DurableError::DifferentMessage { epoch: e }) if e == epoch
                    ));
                }
                PersistStep::SyncDir => {
                    assert!(found == old || found == new, "{step:?}: record is {found:?}");
                    if found == new {
                        // The epoch is burned for `doomed`: only its (never released) signature may come out.
                        assert!(matches!(
                            reopened.sign_at(epoch, &other),
                            Err(DurableError::DifferentMessage { epoch: e }) if e == epoch
                        ));
                        assert_eq!(sign_ok(&mut reopened, &pk, epoch, &doomed), reference(epoch, &doomed));
                    } else {
                        sign_ok(&mut reopened, &pk, epoch, &other);
                    }
                }
            }
            // Earlier epochs stay refused for new messages.
            if epoch > 0 {
                assert!(matches!(reopened.sign_at(epoch - 1, &other), Err(DurableError::EpochUsed { .. })));
            }
        }
    }
}

/// After a failed persist the same handle can retry once the storage recovers; only the retried message is
/// ever released, and the record on disk follows it.
#[test]
fn persist_failure_then_retry_on_the_same_handle() {
    for step in STEPS {
        let tmp = TempDir::new("retry");
        let dir = tmp.join("key");
        let storage = FailingStorage::default();
        let (sk, pk) = key();
        let mut signer = DurableSigner::create_with_storage(&dir, sk, 0, Box::new(storage.clone())).unwrap();
        sign_ok(&mut signer, &pk, 4, &msg(0xaa, 4));
        storage.arm(step, 1);
        assert_persist_error(signer.sign_at(5, &msg(0x01, 5)), step);
        let sig = sign_ok(&mut signer, &pk, 5, &msg(0x02, 5));
        assert_eq!(sig, reference(5, &msg(0x02, 5)));
        assert!(matches!(signer.sign_at(5, &msg(0x01, 5)), Err(DurableError::DifferentMessage { epoch: 5 })));
        drop(signer);
        assert_eq!(record_of(&dir), Record { next_epoch: 6, last: Some((5, msg(0x02, 5))) }, "{step:?}");
    }
}

/// A failure while persisting the advanced window: the error names the step, the window on disk is the old
/// one, and the record is untouched.
#[test]
fn persist_failure_while_advancing_the_window() {
    for step in STEPS {
        let tmp = TempDir::new("advance");
        let dir = tmp.join("key");
        let storage = FailingStorage::default();
        let (sk, pk) = key();
        let mut signer = DurableSigner::create_with_storage(&dir, sk, 0, Box::new(storage.clone())).unwrap();
        sign_ok(&mut signer, &pk, 3, &msg(0xaa, 3));
        storage.arm(step, 1);
        assert_persist_error(signer.prepare_until(40), step);
        let record = signer.record();
        drop(signer);
        let mut reopened = DurableSigner::<T>::open(&dir).unwrap();
        assert_eq!(reopened.record(), record);
        let window = reopened.prepared();
        assert!(
            window == (0..32) || (step == PersistStep::SyncDir && window == (16..48)),
            "{step:?}: {window:?}"
        );
        reopened.prepare_until(40).unwrap();
        sign_ok(&mut reopened, &pk, 40, &msg(0xbb, 40));
    }
}

/// A failure while creating the key directory returns the step and leaves no usable key behind.
#[test]
fn persist_failure_while_creating() {
    for step in STEPS {
        let tmp = TempDir::new("create");
        let dir = tmp.join("key");
        let storage = FailingStorage::default();
        storage.arm(step, 4); // the record, written last
        let (sk, _) = key();
        assert_persist_error(
            DurableSigner::create_with_storage(&dir, sk, 0, Box::new(storage.clone())),
            step,
        );
        if step != PersistStep::SyncDir {
            assert!(DurableSigner::<T>::open(&dir).is_err(), "{step:?}: a key without a record opened");
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Threads and handles
// ---------------------------------------------------------------------------------------------------------------

const THREADS: usize = 16;

/// A thread's message and what the signer answered.
type Attempt = ([u8; 32], Result<Vec<u8>, DurableError>);

/// 16 threads race for one epoch through one mutex, each with its own message: one wins, 15 are told
/// `DifferentMessage`. Repeated for epochs across both bottom trees of the window and after an advance.
#[test]
fn sixteen_threads_race_for_one_epoch() {
    let tmp = TempDir::new("race");
    let dir = tmp.join("key");
    let (signer, pk) = new_signer(&dir);
    let signer = Mutex::new(signer);
    for epoch in [0, 1, 7, 15, 16, 31, 32, 47, 100] {
        signer.lock().unwrap().prepare_until(epoch).unwrap();
        let barrier = Barrier::new(THREADS);
        let results: Vec<Attempt> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..THREADS)
                .map(|t| {
                    let (signer, barrier) = (&signer, &barrier);
                    s.spawn(move || {
                        let message = msg(t as u8 + 1, epoch);
                        barrier.wait();
                        let result = signer.lock().unwrap().sign_at(epoch, &message).map(|s| s.to_bytes());
                        (message, result)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let winners: Vec<_> = results.iter().filter(|(_, r)| r.is_ok()).collect();
        assert_eq!(winners.len(), 1, "epoch {epoch}: {} signatures released", winners.len());
        let (message, sig) = winners[0];
        let sig = sig.as_ref().unwrap();
        pk.verify_bytes(epoch, message, sig).unwrap();
        for (_, r) in results.iter().filter(|(_, r)| r.is_err()) {
            assert!(
                matches!(r, Err(DurableError::DifferentMessage { epoch: e }) if *e == epoch),
                "epoch {epoch}: {r:?}"
            );
        }
        let record = signer.lock().unwrap().record();
        assert_eq!(record, Record { next_epoch: epoch + 1, last: Some((epoch, *message)) });
    }
}

/// 16 threads asking for the same (epoch, message) all get the same bytes.
#[test]
fn sixteen_threads_same_request_get_identical_bytes() {
    let tmp = TempDir::new("same");
    let dir = tmp.join("key");
    let (signer, pk) = new_signer(&dir);
    let signer = Mutex::new(signer);
    for epoch in [2, 9, 30] {
        let message = msg(0x33, epoch);
        let barrier = Barrier::new(THREADS);
        let sigs: Vec<Vec<u8>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..THREADS)
                .map(|_| {
                    let (signer, barrier) = (&signer, &barrier);
                    s.spawn(move || {
                        barrier.wait();
                        signer.lock().unwrap().sign_at(epoch, &message).unwrap().to_bytes()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        pk.verify_bytes(epoch, &message, &sigs[0]).unwrap();
        assert!(sigs.iter().all(|s| *s == sigs[0]), "epoch {epoch}: signatures differ");
        assert_eq!(sigs[0], reference(epoch, &message));
    }
}

/// Threads sweeping overlapping epochs with their own messages: no epoch is ever signed for two messages.
#[test]
fn threads_sweeping_epochs_never_double_sign() {
    let tmp = TempDir::new("sweep");
    let dir = tmp.join("key");
    let (mut signer, pk) = new_signer(&dir);
    signer.prepare_until(40).unwrap(); // window [16, 48)
    let signer = Mutex::new(signer);
    let barrier = Barrier::new(THREADS);
    let released: Vec<(u64, [u8; 32], Vec<u8>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (signer, barrier) = (&signer, &barrier);
                s.spawn(move || {
                    barrier.wait();
                    let mut out = Vec::new();
                    // Thread t walks 16..48 starting at a different offset, wrapping around.
                    for i in 0..32 {
                        let epoch = 16 + (t as u64 * 5 + i) % 32;
                        let message = msg(t as u8 + 1, epoch);
                        match signer.lock().unwrap().sign_at(epoch, &message) {
                            Ok(sig) => out.push((epoch, message, sig.to_bytes())),
                            Err(DurableError::EpochUsed { .. } | DurableError::DifferentMessage { .. }) => {}
                            Err(e) => panic!("epoch {epoch}: {e:?}"),
                        }
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let mut by_epoch: HashMap<u64, [u8; 32]> = HashMap::new();
    for (epoch, message, sig) in &released {
        pk.verify_bytes(*epoch, message, sig).unwrap();
        let first = *by_epoch.entry(*epoch).or_insert(*message);
        assert_eq!(first, *message, "epoch {epoch} released for two messages");
    }
    let record = signer.lock().unwrap().record();
    assert_eq!(Some(record.next_epoch - 1), by_epoch.keys().max().copied());
}

/// A second handle in the same process is refused while the first lives, and opens once it is dropped.
#[test]
fn second_handle_is_locked_out() {
    let tmp = TempDir::new("lock");
    let dir = tmp.join("key");
    let (mut first, pk) = new_signer(&dir);
    sign_ok(&mut first, &pk, 3, &msg(1, 3));
    assert!(matches!(DurableSigner::<T>::open(&dir), Err(DurableError::Locked(p)) if p == dir));
    let (sk, _) = key();
    assert!(matches!(DurableSigner::create(&dir, sk, 0), Err(DurableError::Locked(_))));
    let spare = tmp.join("spare");
    drop(first);
    backup(&dir, &spare);
    let first = DurableSigner::<T>::open(&dir).unwrap();
    assert!(matches!(DurableSigner::<T>::restore(&spare, &dir, 0), Err(DurableError::Locked(_))));
    drop(first);
    let mut second = DurableSigner::<T>::open(&dir).unwrap();
    assert_eq!(second.record(), Record { next_epoch: 4, last: Some((3, msg(1, 3))) });
    assert!(matches!(second.sign_at(3, &msg(2, 3)), Err(DurableError::DifferentMessage { epoch: 3 })));
}

// ---------------------------------------------------------------------------------------------------------------
// Reuse rules
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn reuse_rules() {
    let tmp = TempDir::new("rules");
    let dir = tmp.join("key");
    let (mut signer, pk) = new_signer(&dir);
    let (a, b) = ([0xa0; 32], [0xb0; 32]);
    let sig = sign_ok(&mut signer, &pk, 10, &a);

    assert!(matches!(signer.sign_at(5, &b), Err(DurableError::EpochUsed { epoch: 5, next: 11 })));
    assert!(matches!(signer.sign_at(9, &a), Err(DurableError::EpochUsed { epoch: 9, next: 11 })));
    assert!(matches!(signer.sign_at(10, &b), Err(DurableError::DifferentMessage { epoch: 10 })));
    assert_eq!(signer.sign_at(10, &a).unwrap().to_bytes(), sig, "identical repeat, identical bytes");

    // Outside the prepared window: refused before anything is burned.
    let before = signer.record();
    assert!(matches!(
        signer.sign_at(40, &b),
        Err(DurableError::Sign(SignError::NotPrepared { epoch: 40, start: 0, end: 32 }))
    ));
    assert_eq!(signer.record(), before);
    assert_eq!(signer.next_epoch(), 11);
    // Outside the activation range: the same.
    for epoch in [256, 1000, u64::MAX - 1] {
        assert!(
            matches!(
                signer.sign_at(epoch, &b),
                Err(DurableError::Sign(SignError::OutsideActivation { epoch: e, start: 0, end: 256 })) if e == epoch
            ),
            "epoch {epoch}"
        );
    }
    assert_eq!(signer.record(), before);
    drop(signer);
    assert_eq!(record_of(&dir), before, "a refused epoch was burned on disk");

    let mut signer = DurableSigner::<T>::open(&dir).unwrap();
    assert_eq!(signer.sign_at(10, &a).unwrap().to_bytes(), sig, "identical repeat after a restart");
    signer.prepare_until(40).unwrap(); // window [16, 48)
    // The identical repeat of an epoch that left the window is refused, not recomputed from a wrong tree.
    assert!(matches!(
        signer.sign_at(10, &a),
        Err(DurableError::Sign(SignError::NotPrepared { epoch: 10, start: 16, end: 48 }))
    ));
    sign_ok(&mut signer, &pk, 40, &b);
    // Only the last signature is repeatable.
    signer.prepare_until(41).unwrap();
    sign_ok(&mut signer, &pk, 41, &a);
    assert!(matches!(signer.sign_at(40, &b), Err(DurableError::EpochUsed { epoch: 40, next: 42 })));
}

/// The `SignerMut` interface signs at the next signable epoch and moves on.
#[test]
fn signer_mut_signs_at_the_next_epoch() {
    use signature::SignerMut;
    let tmp = TempDir::new("signermut");
    let dir = tmp.join("key");
    let (mut signer, pk) = new_signer(&dir);
    sign_ok(&mut signer, &pk, 6, &[1; 32]);
    let s = signer.try_sign(&[2; 32]).unwrap();
    assert_eq!(s.epoch, 7);
    pk.verify(7, &[2; 32], &s.signature).unwrap();
    assert!(signer.try_sign(&[3; 31]).is_err());
    assert_eq!(signer.record().next_epoch, 8);
}

// ---------------------------------------------------------------------------------------------------------------
// Backup and restore
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn restore_never_lowers_the_watermark() {
    let tmp = TempDir::new("restore");
    let (live, saved) = (tmp.join("live"), tmp.join("backup"));
    let (mut signer, pk) = new_signer(&live);
    for epoch in [0, 4, 10] {
        sign_ok(&mut signer, &pk, epoch, &msg(1, epoch));
    }
    drop(signer);
    backup(&live, &saved);

    let mut signer = DurableSigner::<T>::open(&live).unwrap();
    for epoch in 11..=20 {
        sign_ok(&mut signer, &pk, epoch, &msg(1, epoch));
    }
    drop(signer);

    // Restoring into the live directory keeps the higher record.
    let mut restored = DurableSigner::<T>::restore(&saved, &live, 0).unwrap();
    assert_eq!(restored.record().next_epoch, 21);
    assert_eq!(restored.next_epoch(), 21);
    for epoch in [0, 10, 11, 15, 20] {
        let r = restored.sign_at(epoch, &msg(2, epoch));
        assert!(
            matches!(r, Err(DurableError::EpochUsed { .. } | DurableError::DifferentMessage { .. })),
            "epoch {epoch}: {r:?}"
        );
    }
    drop(restored);
    assert_eq!(record_of(&live).next_epoch, 21);

    // A restore with a first epoch above the live record raises it.
    let restored = DurableSigner::<T>::restore(&saved, &live, 25).unwrap();
    assert_eq!(restored.record().next_epoch, 25);
    drop(restored);
    assert_eq!(record_of(&live).next_epoch, 25);

    // Into a new directory: the backup's record, or the first epoch if higher.
    let fresh = tmp.join("fresh");
    let restored = DurableSigner::<T>::restore(&saved, &fresh, 0).unwrap();
    assert_eq!(restored.record().next_epoch, 11);
    assert_eq!(restored.public_key(), pk);
    drop(restored);
    assert_eq!(record_of(&fresh).next_epoch, 11);
    let fresh25 = tmp.join("fresh25");
    let mut restored = DurableSigner::<T>::restore(&saved, &fresh25, 25).unwrap();
    assert_eq!(restored.record().next_epoch, 25);
    assert!(matches!(
        restored.sign_at(24, &msg(3, 24)),
        Err(DurableError::EpochUsed { epoch: 24, next: 25 })
    ));
    sign_ok(&mut restored, &pk, 25, &msg(3, 25));
    drop(restored);

    // `create` never overwrites a key directory, and the refused attempt leaves its record alone.
    let before = record_of(&live);
    let (sk, _) = key();
    assert!(matches!(DurableSigner::create(&live, sk, 0), Err(DurableError::AlreadyExists(p)) if p == live));
    let (other_sk, _) = SecretKey::<T>::from_seed(&[0x99; 32], 0, 256).unwrap();
    assert!(matches!(DurableSigner::create(&fresh, other_sk, 0), Err(DurableError::AlreadyExists(_))));
    assert_eq!(record_of(&live), before);
}

// ---------------------------------------------------------------------------------------------------------------
// Reservation
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn reservation_is_persisted_up_front_and_burned_by_a_crash() {
    let tmp = TempDir::new("reserve");
    let dir = tmp.join("key");
    let (mut signer, pk) = new_signer(&dir);
    sign_ok(&mut signer, &pk, 0, &msg(1, 0));

    signer.reserve(10).unwrap();
    assert_eq!(signer.record().next_epoch, 11, "the whole reservation is persisted before any signature");
    assert_eq!(signer.next_epoch(), 1);
    for epoch in 1..=10 {
        sign_ok(&mut signer, &pk, epoch, &msg(1, epoch));
        assert_eq!(signer.next_epoch(), epoch + 1);
        // Inside a reservation an epoch is signed once: any second request is refused.
        for m in [msg(1, epoch), msg(2, epoch)] {
            let r = signer.sign_at(epoch, &m);
            assert!(
                matches!(r, Err(DurableError::EpochUsed { .. } | DurableError::DifferentMessage { .. })),
                "epoch {epoch}: {r:?}"
            );
        }
    }
    assert_eq!(signer.record().next_epoch, 11);
    drop(signer);
    assert_eq!(record_of(&dir).next_epoch, 11);

    // A crash (drop) after 3 of 10 reserved signatures burns the other 7.
    let mut signer = DurableSigner::<T>::open(&dir).unwrap();
    signer.reserve(10).unwrap();
    assert_eq!(signer.record().next_epoch, 21);
    for epoch in 11..14 {
        sign_ok(&mut signer, &pk, epoch, &msg(1, epoch));
    }
    drop(signer);
    let mut signer = DurableSigner::<T>::open(&dir).unwrap();
    assert_eq!(signer.record().next_epoch, 21);
    assert_eq!(signer.next_epoch(), 21);
    for epoch in 0..21 {
        for m in [msg(1, epoch), msg(9, epoch)] {
            let r = signer.sign_at(epoch, &m);
            // Epoch 0 is the record's last signature, so its identical repeat is the one allowed answer.
            if epoch == 0 && m == msg(1, 0) {
                assert_eq!(r.unwrap().to_bytes(), reference(0, &m));
            } else {
                assert!(
                    matches!(r, Err(DurableError::EpochUsed { .. } | DurableError::DifferentMessage { .. })),
                    "epoch {epoch}: {r:?}"
                );
            }
        }
    }
    sign_ok(&mut signer, &pk, 21, &msg(1, 21));

    // Skipping inside a reservation burns the skipped epochs; signing past it persists as usual.
    signer.reserve(5).unwrap(); // [22, 27)
    sign_ok(&mut signer, &pk, 24, &msg(1, 24));
    assert!(matches!(signer.sign_at(23, &msg(1, 23)), Err(DurableError::EpochUsed { epoch: 23, next: 25 })));
    sign_ok(&mut signer, &pk, 30, &msg(1, 30));
    assert_eq!(signer.record(), Record { next_epoch: 31, last: Some((30, msg(1, 30))) });
    // A reservation never reaches past the activation end.
    signer.prepare_until(255).unwrap();
    signer.reserve(1000).unwrap();
    assert_eq!(signer.record().next_epoch, 256);
    drop(signer);
    assert_eq!(record_of(&dir).next_epoch, 256);
}

// ---------------------------------------------------------------------------------------------------------------
// Damaged files
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn corrupt_record_is_refused() {
    let tmp = TempDir::new("corrupt-record");
    let dir = tmp.join("key");
    let (mut signer, pk) = new_signer(&dir);
    sign_ok(&mut signer, &pk, 12, &msg(1, 12));
    drop(signer);
    let path = dir.join("record");
    let good = fs::read(&path).unwrap();
    for i in 0..good.len() {
        let mut bad = good.clone();
        bad[i] ^= 0x01;
        fs::write(&path, &bad).unwrap();
        let r = DurableSigner::<T>::open(&dir);
        assert!(matches!(r, Err(DurableError::CorruptRecord(_))), "byte {i}: {r:?}");
    }
    for len in [0, 1, good.len() - 1] {
        fs::write(&path, &good[..len]).unwrap();
        assert!(
            matches!(DurableSigner::<T>::open(&dir), Err(DurableError::CorruptRecord(_))),
            "length {len}"
        );
    }
    fs::write(&path, [good.as_slice(), &[0]].concat()).unwrap();
    assert!(matches!(DurableSigner::<T>::open(&dir), Err(DurableError::CorruptRecord(_))));
    fs::remove_file(&path).unwrap();
    assert!(matches!(DurableSigner::<T>::open(&dir), Err(DurableError::Io { .. })));
    fs::write(&path, &good).unwrap();
    assert_eq!(record_of(&dir), Record { next_epoch: 13, last: Some((12, msg(1, 12))) });
}

#[test]
fn corrupt_secret_key_is_refused() {
    let tmp = TempDir::new("corrupt-key");
    let dir = tmp.join("key");
    let (signer, _) = new_signer(&dir);
    drop(signer);
    let path = dir.join("secret.ssz");
    let good = fs::read(&path).unwrap();
    let mut accepted = Vec::new();
    for len in [0, 1, 60, 88, good.len() / 2, good.len() - 32, good.len() - 1] {
        fs::write(&path, &good[..len]).unwrap();
        match DurableSigner::<T>::open(&dir) {
            Err(DurableError::CorruptKey(_)) => {}
            Err(e) => panic!("truncated to {len}: {e:?}"),
            Ok(_) => accepted.push(len),
        }
    }
    assert!(accepted.is_empty(), "secret.ssz truncated to {accepted:?} of {} bytes opened", good.len());
    fs::write(&path, &good).unwrap();
    DurableSigner::<T>::open(&dir).unwrap();

    fs::write(dir.join("instance"), "devnet4").unwrap();
    assert!(matches!(
        DurableSigner::<T>::open(&dir),
        Err(DurableError::WrongInstance { expected, found }) if expected == T::NAME && found == "devnet4"
    ));
}

#[test]
fn restore_refuses_a_backup_of_another_key() {
    let root = TempDir::new("restore-other-key");
    let (a, b) = (root.join("a"), root.join("b"));
    drop(
        DurableSigner::create(&a, SecretKey::<T>::from_seed(&[1; 32], 0, 256).unwrap().0, 0)
            .unwrap(),
    );
    drop(
        DurableSigner::create(&b, SecretKey::<T>::from_seed(&[2; 32], 0, 256).unwrap().0, 0)
            .unwrap(),
    );
    assert!(matches!(DurableSigner::<T>::restore(&b, &a, 0), Err(DurableError::KeyMismatch)));
}

/// A window advance computed on another thread while the signer keeps signing: the tree installs and is
/// persisted (a reopened signer has the moved window), signing in the new window gives the reference bytes,
/// and a tree from a job the window has already passed is refused without moving anything.
#[test]
fn window_job_runs_beside_signing_then_installs_and_persists() {
    let tmp = TempDir::new("job");
    let dir = tmp.join("key");
    let (mut signer, pk) = new_signer(&dir);
    assert!(signer.window_job(31).unwrap().is_none(), "31 is inside the window [0, 32)");
    let job = signer.window_job(32).unwrap().expect("32 is past the window");
    let stale = signer.window_job(32).unwrap().expect("the same job again").run();
    let (tree, signature) = std::thread::scope(|s| {
        let worker = s.spawn(move || job.run());
        let signature = signer.sign_at(5, &msg(1, 5)).unwrap();
        (worker.join().unwrap(), signature)
    });
    pk.verify(5, &msg(1, 5), &signature).unwrap();
    assert!(signer.install_window(tree).unwrap());
    assert_eq!(signer.prepared(), 16..48);
    assert!(!signer.install_window(stale).unwrap(), "a tree for a passed index changes nothing");
    assert_eq!(signer.prepared(), 16..48);
    assert!(signer.window_job(40).unwrap().is_none());
    assert!(matches!(signer.window_job(256), Err(DurableError::Sign(SignError::OutsideActivation { .. }))));
    assert_eq!(signer.sign_at(40, &msg(1, 40)).unwrap().to_bytes(), reference(40, &msg(1, 40)));
    drop(signer);
    let reopened = DurableSigner::<T>::open(&dir).unwrap();
    assert_eq!(reopened.prepared(), 16..48);
    assert!(reopened.window_job(47).unwrap().is_none());
}
