//! The error classes of the by-name API: one variant per class, so a binding maps each to one error code or
//! one exception class without looking inside.

use crate::durable::DurableError;
use crate::error::{DecodeError, KeyError, SignError};

/// Why a by-name call failed. Each variant is one class of error; the bindings give each its own code.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The instance name is not in the registry ([`crate::registry::InstanceId::from_name`]).
    #[error("unknown instance {0:?}")]
    UnknownInstance(String),
    /// A fixed-size argument (seed, message) has the wrong length.
    #[error("{what}: expected {expected} bytes, got {got}")]
    Length {
        /// The argument.
        what: &'static str,
        /// Required length.
        expected: usize,
        /// Length given.
        got: usize,
    },
    /// Public key bytes do not decode under the instance.
    #[error("malformed public key")]
    PublicKey(#[source] DecodeError),
    /// The requested activation range cannot be a key of this instance.
    #[error(transparent)]
    Key(KeyError),
    /// The durable signer refused: the epoch is at or below the watermark, or was signed for another
    /// message. Nothing was released.
    #[error(transparent)]
    Refused(DurableError),
    /// The key cannot sign this epoch now: outside its activation range, or outside the prepared window
    /// (prepare ahead first).
    #[error(transparent)]
    NotSignable(SignError),
    /// Another signer (in this process or another) holds the key directory's lock.
    #[error(transparent)]
    Locked(DurableError),
    /// The key directory cannot be used: missing, corrupt, of another instance, already holding a key, or
    /// a write failed (then nothing was released).
    #[error(transparent)]
    KeyDirectory(DurableError),
    /// The operating system gave no randomness for a fresh key.
    #[error("no randomness from the operating system: {0}")]
    Randomness(String),
}

impl From<DurableError> for Error {
    fn from(e: DurableError) -> Self {
        match e {
            e if e.is_refusal() => Error::Refused(e),
            DurableError::Locked(_) => Error::Locked(e),
            DurableError::Sign(s) => Error::NotSignable(s),
            DurableError::Key(k) => Error::Key(k),
            other => Error::KeyDirectory(other),
        }
    }
}

impl From<KeyError> for Error {
    fn from(e: KeyError) -> Self {
        Error::Key(e)
    }
}
