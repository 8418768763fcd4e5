//! The durable signer: a key that never signs two messages for one epoch, across crashes, restarts, clones,
//! re-derivation from a seed, restores and concurrent callers.
//!
//! A key directory (layout in `files.rs`) holds the secret key, its public key and a signing record bound to
//! that public key. A [`DurableSigner`] holds an exclusive lock on the directory for its whole life, so a
//! second handle (same process or another) fails with [`DurableError::Locked`]. Every signature follows one
//! order:
//!
//! 1. **check**: the epoch is inside the activation range and the prepared window, and above the watermark
//!    (or it is the last signed (epoch, message) again);
//! 2. **persist**: the new record is written to a temporary file, fsynced, renamed over `record`, and the
//!    directory is fsynced; if any step fails, the call returns an error and no signature;
//! 3. **compute** and **verify** the signature against the key's own public key;
//! 4. **release** it.
//!
//! A crash after step 2 burns the epoch without releasing anything, which is safe. A crash before it leaves
//! the old record, and nothing was released. Repeating the last (epoch, message) recomputes the same bytes,
//! because signing is deterministic.
//!
//! A key with a history nobody can vouch for (re-derived from its seed, imported, restored into a new
//! directory) enters through [`DurableSigner::create`] with an explicit first signable epoch; only a key made
//! from fresh randomness ([`DurableSigner::generate`]) starts at its activation start.
//!
//! ```
//! use ndvt_xmss::{DurableSigner, TestInstance};
//! use rand_chacha::rand_core::SeedableRng;
//!
//! let dir = std::env::temp_dir().join(format!("ndvt-doc-durable-{}", std::process::id()));
//! # let _ = std::fs::remove_dir_all(&dir);
//! // Any cryptographic RNG; production code passes the operating system's.
//! let mut rng = rand_chacha::ChaCha20Rng::from_seed([5; 32]);
//! let mut signer = DurableSigner::<TestInstance>::generate(&dir, &mut rng, 0, 64)?;
//! let signature = signer.sign_at(3, &[7; 32])?;
//! signer.public_key().verify(3, &[7; 32], &signature)?;
//! // The epoch is used up: another message at it is refused, and nothing is released.
//! assert!(signer.sign_at(3, &[8; 32]).unwrap_err().is_refusal());
//! # drop(signer); std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod export;
mod files;
mod record;
mod restore;
mod storage;

use std::fs::{self, File};
use std::ops::Range;
use std::path::{Path, PathBuf};

use rand_core::CryptoRng;
use signature::SignerMut;

pub use error::DurableError;
pub use export::{KeyExport, holds_key};
pub use files::{key_instance, read_capped, read_public_key};
pub use record::Record;
pub use storage::{OsStorage, PersistStep, Storage};

use crate::error::SignError;
use crate::instance::Instance;
use crate::public_key::PublicKey;
use crate::secret_key::SecretKey;
use crate::signature::{EpochSignature, Signature};
use crate::window::{PreparedBottomTree, WindowJob};
use error::persist_err;
use files::{INSTANCE_FILE, PUBLIC_FILE, RECORD_FILE, SECRET_FILE, binding_of, load, lock};

/// A secret key bound to its signing record on disk, holding the key's exclusive lock.
pub struct DurableSigner<I: Instance> {
    dir: PathBuf,
    _lock: File,
    key: SecretKey<I>,
    /// What this key's record files must carry (see `record.rs`).
    binding: [u8; 32],
    record: Record,
    storage: Box<dyn Storage>,
    warn_below: u64,
    /// Within a reservation: the next epoch this handle may sign without writing (`record.next_epoch` is the
    /// persisted end of the reservation). Equal to `record.next_epoch` when nothing is reserved.
    cursor: u64,
}

impl<I: Instance> core::fmt::Debug for DurableSigner<I> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DurableSigner")
            .field("dir", &self.dir)
            .field("key", &self.key)
            .field("record", &self.record)
            .finish()
    }
}

/// What a key directory says about its key, read without its lock and without writing
/// ([`DurableSigner::inspect`]).
#[derive(Clone, Debug)]
pub struct KeyStatus<I: Instance> {
    /// The public key.
    pub public_key: PublicKey<I>,
    /// The epochs the key may sign: `[start, end)`.
    pub activation: Range<u64>,
    /// The epochs it can sign without advancing its window.
    pub prepared: Range<u64>,
    /// The signing record as persisted.
    pub record: Record,
}

impl<I: Instance> KeyStatus<I> {
    /// Epochs left to sign: from the next signable epoch to the activation end.
    pub fn remaining(&self) -> u64 {
        self.activation.end.saturating_sub(self.record.next_epoch)
    }
}

impl<I: Instance> DurableSigner<I> {
    /// Generates a key from fresh randomness into the new directory `dir`, active for at least
    /// `[start, start + count)`. A fresh key has no history, so its first signable epoch is its activation start.
    pub fn generate<R: CryptoRng + ?Sized>(
        dir: &Path,
        rng: &mut R,
        start: u64,
        count: u64,
    ) -> Result<Self, DurableError> {
        let (key, _) = SecretKey::<I>::generate(rng, start, count)?;
        let first = key.activation().start;
        Self::create(dir, key, first)
    }

    /// Stores `key` in the new directory `dir` and returns its signer: an **import**. Every epoch below
    /// `first_epoch` (raised to the activation start) is treated as used.
    ///
    /// A key re-derived from its seed, or brought from elsewhere, may already have signed: `first_epoch` must lie
    /// above every epoch it may ever have signed (docs/DURABLE-SIGNER.md, "Recovery"). `dir` must not hold a key.
    pub fn create(dir: &Path, key: SecretKey<I>, first_epoch: u64) -> Result<Self, DurableError> {
        Self::create_with_storage(dir, key, first_epoch, Box::new(OsStorage))
    }

    /// As [`DurableSigner::create`] with a chosen [`Storage`] (tests inject failures with it).
    pub fn create_with_storage(
        dir: &Path,
        key: SecretKey<I>,
        first_epoch: u64,
        mut storage: Box<dyn Storage>,
    ) -> Result<Self, DurableError> {
        fs::create_dir_all(dir).map_err(error::io_err(format!("creating {}", dir.display())))?;
        // Make the directory entry itself durable, so a power loss cannot forget the key's record.
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            storage
                .sync_dir(parent)
                .map_err(|source| DurableError::Persist { step: PersistStep::SyncDir, source })?;
        }
        let lock = lock(dir)?;
        if dir.join(RECORD_FILE).exists() || dir.join(SECRET_FILE).exists() {
            return Err(DurableError::AlreadyExists(dir.to_path_buf()));
        }
        let record = Record { next_epoch: first_epoch.max(key.activation().start), last: None };
        let public = key.public_key();
        let binding = binding_of(&public);
        storage::replace(storage.as_mut(), dir, INSTANCE_FILE, I::NAME.as_bytes()).map_err(persist_err)?;
        storage::replace(storage.as_mut(), dir, PUBLIC_FILE, &public.to_bytes()).map_err(persist_err)?;
        storage::replace(storage.as_mut(), dir, SECRET_FILE, &key.to_bytes()).map_err(persist_err)?;
        // The record goes last: a directory without one is not a usable key, so a crash leaves nothing half-made.
        storage::replace(storage.as_mut(), dir, RECORD_FILE, &record.encode(I::NAME, &binding))
            .map_err(persist_err)?;
        Ok(Self::assemble(dir, lock, key, record, storage))
    }

    /// Opens the key in `dir`, taking its lock.
    pub fn open(dir: &Path) -> Result<Self, DurableError> {
        Self::open_with_storage(dir, Box::new(OsStorage))
    }

    /// As [`DurableSigner::open`] with a chosen [`Storage`].
    pub fn open_with_storage(dir: &Path, storage: Box<dyn Storage>) -> Result<Self, DurableError> {
        let lock = lock(dir)?;
        let loaded = load::<I>(dir)?;
        Ok(Self::assemble(dir, lock, loaded.key, loaded.record, storage))
    }

    /// Reads the key directory `dir` without its lock and without writing (a read-only directory is fine):
    /// the same checks as [`DurableSigner::open`], for `ndvt key info` and monitoring.
    pub fn inspect(dir: &Path) -> Result<KeyStatus<I>, DurableError> {
        let loaded = load::<I>(dir)?;
        Ok(KeyStatus {
            public_key: loaded.key.public_key(),
            activation: loaded.key.activation(),
            prepared: loaded.key.prepared(),
            record: loaded.record,
        })
    }

    fn assemble(
        dir: &Path,
        lock: File,
        key: SecretKey<I>,
        record: Record,
        storage: Box<dyn Storage>,
    ) -> Self {
        Self {
            dir: dir.to_path_buf(),
            _lock: lock,
            binding: binding_of(&key.public_key()),
            key,
            cursor: record.next_epoch,
            record,
            storage,
            warn_below: I::LEAVES_PER_BOTTOM_TREE,
        }
    }

    /// The key directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The signing record as persisted.
    pub fn record(&self) -> Record {
        self.record
    }

    /// The public key.
    pub fn public_key(&self) -> PublicKey<I> {
        self.key.public_key()
    }

    /// The epochs the key may sign: `[start, end)`.
    pub fn activation(&self) -> Range<u64> {
        self.key.activation()
    }

    /// The epochs the key can sign now without advancing its window (two bottom trees).
    pub fn prepared(&self) -> Range<u64> {
        self.key.prepared()
    }

    /// Epochs left to sign: from the next signable epoch to the activation end.
    pub fn remaining(&self) -> u64 {
        self.key.activation().end.saturating_sub(self.cursor)
    }

    /// The lowest epoch this handle may sign next (inside a reservation it is below the persisted record).
    pub fn next_epoch(&self) -> u64 {
        self.cursor
    }

    /// Reserves the `count` epochs from the next signable one with a single durable write, so that signing
    /// inside the range needs no further write (cisco hash-sigs' reservation). A crash burns the whole
    /// unused part of the range, which is the price of skipping the per-signature fsync; inside a reservation
    /// an identical repeat of a signature is not recomputed (the record does not hold its message).
    pub fn reserve(&mut self, count: u64) -> Result<(), DurableError> {
        let end =
            self.cursor.saturating_add(count).min(self.key.activation().end).max(self.record.next_epoch);
        if end > self.record.next_epoch {
            self.persist(Record { next_epoch: end, last: self.record.last })?;
        }
        Ok(())
    }

    /// Emit a warning when fewer than `epochs` activation epochs remain (default: one bottom tree).
    pub fn set_warning_threshold(&mut self, epochs: u64) {
        self.warn_below = epochs;
    }

    /// Advances the prepared window until it contains `epoch`, persisting the key atomically after each step.
    /// Call it ahead of need, off the signing path.
    ///
    /// An epoch outside the activation range is refused before anything moves: advancing for it would only
    /// push still-signable epochs out of the window. An epoch below the watermark needs no preparation (the
    /// window only moves forward; [`DurableSigner::sign_at`] decides whether it is an identical repeat), so the
    /// window is left where it is.
    pub fn prepare_until(&mut self, epoch: u64) -> Result<(), DurableError> {
        let active = self.key.activation();
        if !active.contains(&epoch) {
            return Err(SignError::OutsideActivation { epoch, start: active.start, end: active.end }.into());
        }
        if epoch < self.cursor {
            return Ok(());
        }
        while self.key.prepared().end <= epoch && self.key.can_advance() {
            self.key.advance()?;
            storage::replace(self.storage.as_mut(), &self.dir, SECRET_FILE, &self.key.to_bytes())
                .map_err(persist_err)?;
        }
        Ok(())
    }

    /// The background half of [`DurableSigner::prepare_until`]: the job that computes the bottom tree the window
    /// needs next so that it contains `epoch`, or `None` when no advance is needed (the window already reaches
    /// `epoch`, the epoch is below the watermark, or the window cannot move). Run it on another thread while
    /// this signer keeps signing, then hand its tree to [`DurableSigner::install_window`]; ask again until
    /// `None` when `epoch` lies more than one bottom tree ahead.
    ///
    /// An epoch outside the activation range is refused, as by `prepare_until`.
    pub fn window_job(&self, epoch: u64) -> Result<Option<WindowJob<I>>, DurableError> {
        let active = self.key.activation();
        if !active.contains(&epoch) {
            return Err(SignError::OutsideActivation { epoch, start: active.start, end: active.end }.into());
        }
        if epoch < self.cursor || self.key.prepared().end > epoch || !self.key.can_advance() {
            return Ok(None);
        }
        Ok(Some(self.key.window_job()?))
    }

    /// Installs a tree computed by a [`WindowJob`] and persists the key atomically, as one step of
    /// `prepare_until` would. Returns `false`, changing nothing, when the tree is not for the index the
    /// window needs next (the window moved meanwhile, for example through `prepare_until`); a tree for that
    /// index that does not hash to the key's top tree is [`KeyError::InconsistentTree`](crate::KeyError).
    /// The signing record is untouched: which epochs may be signed never depends on the window.
    pub fn install_window(&mut self, tree: PreparedBottomTree<I>) -> Result<bool, DurableError> {
        let index = tree.index();
        if !self.key.can_advance() || index != self.key.left_index + 2 {
            return Ok(false);
        }
        self.key.install_next(tree).map_err(|_| crate::KeyError::InconsistentTree { index })?;
        storage::replace(self.storage.as_mut(), &self.dir, SECRET_FILE, &self.key.to_bytes())
            .map_err(persist_err)?;
        Ok(true)
    }

    fn persist(&mut self, record: Record) -> Result<(), DurableError> {
        let bytes = record.encode(I::NAME, &self.binding);
        storage::replace(self.storage.as_mut(), &self.dir, RECORD_FILE, &bytes).map_err(persist_err)?;
        self.record = record;
        Ok(())
    }

    /// Signs `message` at `epoch`: check, persist, compute, verify, release.
    pub fn sign_at(&mut self, epoch: u64, message: &[u8; 32]) -> Result<Signature<I>, DurableError> {
        if epoch >= self.cursor && epoch < self.record.next_epoch {
            // Inside a reservation: already durable, no write needed.
            self.check_signable(epoch)?;
            self.cursor = epoch + 1;
            return self.release(epoch, message);
        }
        if epoch < self.cursor {
            return match self.record.last {
                Some((e, m)) if e == epoch && m == *message => Ok(self.key.sign(epoch, message)?),
                Some((e, _)) if e == epoch => Err(DurableError::DifferentMessage { epoch }),
                _ => Err(DurableError::EpochUsed { epoch, next: self.cursor }),
            };
        }
        self.check_signable(epoch)?;
        self.persist(Record { next_epoch: epoch + 1, last: Some((epoch, *message)) })?;
        self.cursor = epoch + 1;
        self.release(epoch, message)
    }

    /// Refuses epochs the key cannot sign, before anything is burned.
    fn check_signable(&self, epoch: u64) -> Result<(), DurableError> {
        let (active, window) = (self.key.activation(), self.key.prepared());
        if !active.contains(&epoch) {
            return Err(SignError::OutsideActivation { epoch, start: active.start, end: active.end }.into());
        }
        if !window.contains(&epoch) {
            return Err(SignError::NotPrepared { epoch, start: window.start, end: window.end }.into());
        }
        Ok(())
    }

    /// Compute, verify (inside `SecretKey::sign`), warn if the key runs low, release.
    fn release(&mut self, epoch: u64, message: &[u8; 32]) -> Result<Signature<I>, DurableError> {
        let signature = self.key.sign(epoch, message)?;
        let remaining = self.remaining();
        if remaining < self.warn_below {
            tracing::warn!(dir = %self.dir.display(), remaining, "XMSS key is running out of activation epochs");
        }
        Ok(signature)
    }
}

impl<I: Instance> SignerMut<EpochSignature<I>> for DurableSigner<I> {
    /// Signs at the next signable epoch.
    fn try_sign(&mut self, msg: &[u8]) -> Result<EpochSignature<I>, signature::Error> {
        let message: &[u8; 32] = msg.try_into().map_err(|_| signature::Error::new())?;
        let epoch = self.cursor;
        let signature = self.sign_at(epoch, message).map_err(|_| signature::Error::new())?;
        Ok(EpochSignature { epoch: epoch as u32, signature })
    }
}
