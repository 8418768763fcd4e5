//! Moving a key between a key directory and a keystore, and a signing history into a key directory, without
//! ever making an epoch signable twice.
//!
//! The rules (docs/KEYSTORE.md, "Why no epoch is signed twice"):
//!
//! - **Export** reads the secret and the record under the key's lock; the snapshot reports the record.
//! - **Import into a new directory** starts at `max(snapshot floor, first_epoch)`, and `first_epoch` is
//!   required: the snapshot is not authoritative (EIP-8310, "Import, export, recover, resume": importing with
//!   fresh state must be a hard error), and a keystore exported long ago says nothing about what the key signed
//!   since. The operator vouches for `first_epoch` exactly as for `ndvt key generate --seed`.
//! - **Import into a directory that holds the key** changes nothing if its record is at or above the
//!   snapshot's floor, and is refused ([`ImportError::WatermarkBehind`]) if it is below: the authoritative record
//!   has fallen behind a copy of itself, which is the stale-restore case, and must be reconciled first
//!   (`ndvt key history import`), not silently raised or lowered. A directory holding another key is refused.
//! - **History import** raises the record's watermark above every epoch the history names and never lowers it.

use std::path::Path;

use ndvt_xmss::durable::{Record, holds_key};
use ndvt_xmss::{DurableError, DurableSigner, Instance};
use rand_core::CryptoRng;

use crate::error::{InterchangeError, KeystoreError};
use crate::interchange::Interchange;
use crate::kdf::Kdf;
use crate::keystore::Keystore;
use crate::password::Password;
use crate::state::Snapshot;

/// Why an import or export did not happen.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The keystore could not be read, written or decrypted.
    #[error(transparent)]
    Keystore(#[from] KeystoreError),
    /// The history file could not be read.
    #[error(transparent)]
    Interchange(#[from] InterchangeError),
    /// The key directory could not be opened or written.
    #[error(transparent)]
    Durable(#[from] DurableError),
    /// A new directory needs an explicit first epoch: the keystore's snapshot is not authoritative.
    #[error(
        "importing into a new directory needs an explicit first epoch above every epoch the key may have \
         signed (the keystore's snapshot is not authoritative; it reports next signable epoch {floor})"
    )]
    FirstEpochRequired {
        /// The snapshot's floor, a lower bound for the first epoch.
        floor: u64,
    },
    /// The existing directory's record is behind the keystore's snapshot.
    #[error(
        "the key directory's record (next signable epoch {record_next}) is behind the keystore's snapshot \
         ({snapshot_next}): the record is stale; reconcile it with the key's latest history before importing"
    )]
    WatermarkBehind {
        /// The directory's next signable epoch.
        record_next: u64,
        /// The keystore's floor.
        snapshot_next: u64,
    },
    /// The existing directory holds another key.
    #[error("the key directory holds a different key than the keystore")]
    KeyMismatch,
}

impl ImportError {
    /// Whether the import was refused to protect the watermark (exit 3 in the CLI), not a failure.
    pub fn is_refusal(&self) -> bool {
        matches!(self, ImportError::WatermarkBehind { .. })
    }
}

/// What an import did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportOutcome {
    /// A new key directory was made; its first signable epoch.
    Created {
        /// The first signable epoch.
        next_epoch: u64,
    },
    /// The directory already held the key with a record at or above the snapshot: the key is untouched, the
    /// record raised to the first epoch if one was given and it is higher.
    AlreadyPresent {
        /// The directory's next signable epoch.
        next_epoch: u64,
    },
}

/// Exports the key in `dir` to a keystore under `password`.
///
/// Holds the key's lock while reading, so the snapshot covers every signature the key released. The key
/// stays usable in `dir`: the keystore is a copy, and its importer must never start below this record.
pub fn export_key_dir<I: Instance, R: CryptoRng + ?Sized>(
    dir: &Path,
    password: &Password,
    kdf: Kdf,
    rng: &mut R,
) -> Result<Keystore, ImportError> {
    let signer = DurableSigner::<I>::open(dir)?;
    let export = signer.export();
    let snapshot = Snapshot::of_record(signer.activation(), export.record.next_epoch, None);
    let public = signer.public_key();
    Ok(Keystore::encrypt(
        &export.secret_key,
        &public,
        signer.activation().start,
        snapshot,
        password,
        kdf,
        rng,
    )?)
}

/// Imports `keystore` into `dir` (see the module's rules). `first_epoch` is required when `dir` holds no key.
pub fn import_keystore<I: Instance>(
    keystore: &Keystore,
    password: &Password,
    dir: &Path,
    first_epoch: Option<u64>,
) -> Result<ImportOutcome, ImportError> {
    let floor = keystore.snapshot().floor();
    if holds_key(dir) {
        let mut signer = DurableSigner::<I>::open(dir)?;
        if signer.public_key().to_bytes().as_slice() != keystore.public_key() {
            return Err(ImportError::KeyMismatch);
        }
        let record_next = signer.record().next_epoch;
        if record_next < floor {
            return Err(ImportError::WatermarkBehind { record_next, snapshot_next: floor });
        }
        // The password is still checked, so a wrong one is never reported as success.
        drop(keystore.decrypt::<I>(password)?);
        // An explicit first epoch can only raise the record (merging never lowers it).
        if let Some(first) = first_epoch {
            signer.merge_record(Record { next_epoch: first, last: None })?;
        }
        return Ok(ImportOutcome::AlreadyPresent { next_epoch: signer.record().next_epoch });
    }
    let Some(first_epoch) = first_epoch else {
        return Err(ImportError::FirstEpochRequired { floor });
    };
    let key = keystore.decrypt::<I>(password)?;
    let signer = DurableSigner::create(dir, key, first_epoch.max(floor))?;
    Ok(ImportOutcome::Created { next_epoch: signer.record().next_epoch })
}

/// Raises the watermark of the key in `dir` above every epoch `history` names for it (one XMSS epoch per
/// slot). Returns the next signable epoch before and after; it never decreases.
pub fn import_history<I: Instance>(dir: &Path, history: &Interchange) -> Result<(u64, u64), ImportError> {
    let mut signer = DurableSigner::<I>::open(dir)?;
    let public = signer.public_key().to_bytes();
    let before = signer.record().next_epoch;
    if let Some(highest) = history.highest_epoch_for(&public)? {
        signer.merge_record(Record { next_epoch: highest.saturating_add(1), last: None })?;
    }
    Ok((before, signer.record().next_epoch))
}
