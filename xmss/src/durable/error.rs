//! Why the durable signer refused or failed. No variant ever comes with signature bytes.

use std::io;
use std::path::PathBuf;

use super::storage::PersistStep;
use crate::consistency::ConsistencyError;
use crate::error::{DecodeError, KeyError, SignError};

/// Why the durable signer refused or failed.
///
/// Messages name what was being done; the underlying cause, where there is one, is the error's
/// [`source`](std::error::Error::source), never repeated in the message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DurableError {
    /// An I/O error outside the persistence protocol (reading, creating the directory).
    #[error("{what}")]
    Io {
        /// What was being done.
        what: String,
        /// The error.
        #[source]
        source: io::Error,
    },
    /// A file in the key directory is larger than any valid file of its kind (read no further).
    #[error("{} is larger than {limit} bytes, the largest valid {what}", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// What the file should hold.
        what: &'static str,
        /// The largest valid size.
        limit: u64,
    },
    /// Another handle holds the key's lock.
    #[error("key {} is in use by another signer (lock held)", .0.display())]
    Locked(PathBuf),
    /// Persisting the record or key failed at `step`; nothing was released.
    #[error("persisting failed at the {step}")]
    Persist {
        /// The failed step.
        step: PersistStep,
        /// The error.
        #[source]
        source: io::Error,
    },
    /// The record file is damaged.
    #[error("signing record is corrupt: {0}")]
    CorruptRecord(&'static str),
    /// The record file belongs to another key (it was copied from another key directory).
    #[error("the signing record belongs to another key; refusing to use it")]
    RecordOfAnotherKey,
    /// The record file is of the first format, which does not name its key: nothing proves it is this key's.
    #[error(
        "the signing record predates key binding (format 1); re-import the key with an explicit --first-epoch \
         above every epoch it may have signed"
    )]
    UnboundRecord,
    /// The secret key file does not decode.
    #[error("secret key file is corrupt")]
    CorruptKey(#[from] DecodeError),
    /// The public key file does not decode.
    #[error("public key file is corrupt")]
    CorruptPublicKey(#[source] DecodeError),
    /// The secret key's trees do not hash consistently.
    #[error("secret key is inconsistent")]
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
    #[error("{} already holds a key", .0.display())]
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

impl DurableError {
    /// Whether this is the signer refusing a request (the epoch is used up), rather than a failure.
    pub fn is_refusal(&self) -> bool {
        matches!(self, DurableError::EpochUsed { .. } | DurableError::DifferentMessage { .. })
    }
}

pub(crate) fn io_err(what: impl Into<String>) -> impl FnOnce(io::Error) -> DurableError {
    let what = what.into();
    move |source| DurableError::Io { what, source }
}

pub(crate) fn persist_err((step, source): (PersistStep, io::Error)) -> DurableError {
    DurableError::Persist { step, source }
}
