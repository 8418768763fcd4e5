//! The durable signer: a key that never signs two messages for one epoch, across crashes, restarts, clones
//! and concurrent callers.
//!
//! A key directory holds `instance` (the parameter-set name), `secret.ssz` (the secret key, leanSig layout),
//! `public.ssz`, `record` (the signing record) and `lock`. A [`DurableSigner`] holds an exclusive lock on
//! `lock` for its whole life, so a second handle (same process or another) fails with
//! [`DurableError::Locked`]. Every signature follows one order:
//!
//! 1. **check**: the epoch is above the watermark, or it is the last signed (epoch, message) again;
//! 2. **persist**: the new record is written to a temporary file, fsynced, renamed over `record`, and the
//!    directory is fsynced; if any step fails, the call returns an error and no signature;
//! 3. **compute** and **verify** the signature against the key's own public key;
//! 4. **release** it.
//!
//! A crash after step 2 burns the epoch without releasing anything, which is safe. A crash before it leaves
//! the old record, and nothing was released. Repeating the last (epoch, message) recomputes the same bytes,
//! because signing is deterministic.

mod record;
mod storage;

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use signature::SignerMut;

pub use record::Record;
pub use storage::{OsStorage, PersistStep, Storage};

use crate::consistency::ConsistencyError;
use crate::error::{DecodeError, KeyError, SignError};
use crate::instance::Instance;
use crate::public_key::PublicKey;
use crate::secret_key::SecretKey;
use crate::signature::{EpochSignature, Signature};

const INSTANCE_FILE: &str = "instance";
const SECRET_FILE: &str = "secret.ssz";
const PUBLIC_FILE: &str = "public.ssz";
const RECORD_FILE: &str = "record";
const LOCK_FILE: &str = "lock";

/// Why the durable signer refused or failed. No variant ever comes with signature bytes.
#[derive(Debug, thiserror::Error)]
pub enum DurableError {
    /// An I/O error outside the persistence protocol (reading, creating the directory).
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The error.
        source: io::Error,
    },
    /// Another handle holds the key's lock.
    #[error("key {0} is in use by another signer (lock held)")]
    Locked(PathBuf),
    /// Persisting the record or key failed at `step`; nothing was released.
    #[error("persisting failed at the {step}: {source}")]
    Persist {
        /// The failed step.
        step: PersistStep,
        /// The error.
        source: io::Error,
    },
    /// The record file is damaged.
    #[error("signing record is corrupt: {0}")]
    CorruptRecord(&'static str),
    /// The secret key file does not decode.
    #[error("secret key file is corrupt: {0}")]
    CorruptKey(#[from] DecodeError),
    /// The secret key's trees do not hash consistently.
    #[error("secret key is inconsistent: {0}")]
    InconsistentKey(#[from] ConsistencyError),
    /// The directory holds a key of another instance.
    #[error("key directory holds a {found} key, expected {expected}")]
    WrongInstance {
        /// The instance asked for.
        expected: &'static str,
        /// The instance found.
        found: String,
    },
    /// A backup restored into a live directory holds a different key.
    #[error("the backup holds a different key than the live directory")]
    KeyMismatch,
    /// The target directory already holds a key; keys and records are never overwritten.
    #[error("{0} already holds a key")]
    AlreadyExists(PathBuf),
    /// The epoch is at or below the watermark (and not an identical repeat of the last signature).
    #[error("epoch {epoch} is at or below the watermark (next signable epoch is {next})")]
    EpochUsed {
        /// The epoch asked for.
        epoch: u64,
        /// The lowest epoch that may still be signed.
        next: u64,
    },
    /// The epoch was signed already, for a different message.
    #[error("epoch {epoch} was already signed for a different message")]
    DifferentMessage {
        /// The epoch asked for.
        epoch: u64,
    },
    /// The key cannot sign this epoch (outside activation or prepared window, or broken).
    #[error(transparent)]
    Sign(#[from] SignError),
    /// The key's window cannot advance.
    #[error(transparent)]
    Key(#[from] KeyError),
}

fn io_err(what: impl Into<String>) -> impl FnOnce(io::Error) -> DurableError {
    let what = what.into();
    move |source| DurableError::Io { what, source }
}

fn persist_err((step, source): (PersistStep, io::Error)) -> DurableError {
    DurableError::Persist { step, source }
}

/// Reads the instance name of the key in `dir`.
pub fn key_instance(dir: &Path) -> Result<String, DurableError> {
    let text =
        fs::read_to_string(dir.join(INSTANCE_FILE)).map_err(io_err(format!("reading {}", dir.display())))?;
    Ok(text.trim().to_string())
}

/// A secret key bound to its signing record on disk, holding the key's exclusive lock.
pub struct DurableSigner<I: Instance> {
    dir: PathBuf,
    _lock: File,
    key: SecretKey<I>,
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

fn lock(dir: &Path) -> Result<File, DurableError> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK_FILE))
        .map_err(io_err(format!("opening the lock in {}", dir.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(DurableError::Locked(dir.to_path_buf())),
        Err(fs::TryLockError::Error(e)) => Err(io_err("locking the key")(e)),
    }
}

impl<I: Instance> DurableSigner<I> {
    /// Stores `key` in the new directory `dir` and returns its signer. The first signable epoch is
    /// `first_epoch` (raised to the activation start). `dir` must not hold a key.
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
        fs::create_dir_all(dir).map_err(io_err(format!("creating {}", dir.display())))?;
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
        storage::replace(storage.as_mut(), dir, INSTANCE_FILE, I::NAME.as_bytes()).map_err(persist_err)?;
        storage::replace(storage.as_mut(), dir, PUBLIC_FILE, &key.public_key().to_bytes())
            .map_err(persist_err)?;
        storage::replace(storage.as_mut(), dir, SECRET_FILE, &key.to_bytes()).map_err(persist_err)?;
        // The record goes last: a directory without one is not a usable key, so a crash leaves nothing half-made.
        storage::replace(storage.as_mut(), dir, RECORD_FILE, &record.encode(I::NAME)).map_err(persist_err)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            _lock: lock,
            key,
            cursor: record.next_epoch,
            record,
            storage,
            warn_below: I::LEAVES_PER_BOTTOM_TREE,
        })
    }

    /// Opens the key in `dir`, taking its lock.
    pub fn open(dir: &Path) -> Result<Self, DurableError> {
        Self::open_with_storage(dir, Box::new(OsStorage))
    }

    /// As [`DurableSigner::open`] with a chosen [`Storage`].
    pub fn open_with_storage(dir: &Path, storage: Box<dyn Storage>) -> Result<Self, DurableError> {
        let lock = lock(dir)?;
        let found = key_instance(dir)?;
        if found != I::NAME {
            return Err(DurableError::WrongInstance { expected: I::NAME, found });
        }
        let record_bytes = fs::read(dir.join(RECORD_FILE)).map_err(io_err("reading the signing record"))?;
        let record = Record::decode(&record_bytes, I::NAME)?;
        let key_bytes = zeroize::Zeroizing::new(
            fs::read(dir.join(SECRET_FILE)).map_err(io_err("reading the secret key"))?,
        );
        let key = SecretKey::<I>::from_bytes(&key_bytes)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            _lock: lock,
            key,
            cursor: record.next_epoch,
            record,
            storage,
            warn_below: I::LEAVES_PER_BOTTOM_TREE,
        })
    }

    /// The key directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The signing record as persisted.
    pub fn record(&self) -> Record {
        self.record
    }

    /// The secret key (read-only: windows move through [`DurableSigner::prepare_until`]).
    pub fn key(&self) -> &SecretKey<I> {
        &self.key
    }

    /// The public key.
    pub fn public_key(&self) -> PublicKey<I> {
        self.key.public_key()
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

    /// Restores the key directory `backup` into `dir` (a new directory, or the live one) without ever
    /// lowering a watermark: the result's record is the higher of the two. Restoring into a new directory
    /// takes `first_epoch` like an import, since a backup may be older than signatures made after it.
    pub fn restore(backup: &Path, dir: &Path, first_epoch: u64) -> Result<Self, DurableError> {
        let found = key_instance(backup)?;
        if found != I::NAME {
            return Err(DurableError::WrongInstance { expected: I::NAME, found });
        }
        let record_bytes =
            fs::read(backup.join(RECORD_FILE)).map_err(io_err("reading the backup's record"))?;
        let backup_record = Record::decode(&record_bytes, I::NAME)?;
        if dir.join(RECORD_FILE).exists() {
            let mut live = Self::open(dir)?;
            let backup_public =
                fs::read(backup.join(PUBLIC_FILE)).map_err(io_err("reading the backup's public key"))?;
            if backup_public != live.public_key().to_bytes() {
                return Err(DurableError::KeyMismatch);
            }
            live.merge_record(Record { next_epoch: backup_record.next_epoch.max(first_epoch), last: None })?;
            return Ok(live);
        }
        let key_bytes = zeroize::Zeroizing::new(
            fs::read(backup.join(SECRET_FILE)).map_err(io_err("reading the backup's key"))?,
        );
        let key = SecretKey::<I>::from_bytes(&key_bytes)?;
        key.check_consistency()?;
        Self::create(dir, key, backup_record.next_epoch.max(first_epoch))
    }

    /// Emit a warning when fewer than `epochs` activation epochs remain (default: one bottom tree).
    pub fn set_warning_threshold(&mut self, epochs: u64) {
        self.warn_below = epochs;
    }

    /// Advances the prepared window until it contains `epoch` (or the activation end), persisting the key
    /// atomically after each step. Call it ahead of need, off the signing path.
    pub fn prepare_until(&mut self, epoch: u64) -> Result<(), DurableError> {
        while self.key.prepared().end <= epoch && self.key.can_advance() {
            self.key.advance()?;
            storage::replace(self.storage.as_mut(), &self.dir, SECRET_FILE, &self.key.to_bytes())
                .map_err(persist_err)?;
        }
        Ok(())
    }

    /// Raises the record to at least `other` (restoring a backup can only move the watermark up).
    pub fn merge_record(&mut self, other: Record) -> Result<(), DurableError> {
        let merged = if other.next_epoch > self.record.next_epoch { other } else { self.record };
        if merged != self.record {
            self.persist(merged)?;
            self.cursor = self.cursor.max(merged.next_epoch);
        }
        Ok(())
    }

    fn persist(&mut self, record: Record) -> Result<(), DurableError> {
        storage::replace(self.storage.as_mut(), &self.dir, RECORD_FILE, &record.encode(I::NAME))
            .map_err(persist_err)?;
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
