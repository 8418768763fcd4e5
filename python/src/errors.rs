//! The exception classes: `ndvt.Error` and one subclass per error class of the by-name APIs
//! (`ndvt_xmss::by_name::Error`, `ndvt_aggregation::by_name::Error`, `ndvt_keystore::by_name::Error`), each
//! named after its variant. The C ABI's status codes are the same classes; where it folds several into one
//! code (`NDVT_ERR_INVALID_ARGUMENT`, `NDVT_ERR_GROUP_SIGNATURE`) the Python classes keep a common parent of
//! that name, so `except ndvt.GroupSignatureError` catches what the C code catches.
//!
//! Messages are the libraries' own, with their causes: they name paths, epochs, lengths and instances, and
//! never key material or passwords.

use ndvt_aggregation::by_name::Error as GroupFailure;
use ndvt_keystore::by_name::Error as KeystoreFailure;
use ndvt_xmss::by_name::Error as KeyFailure;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(ndvt, Error, PyException, "Base class of every error ndvt raises.");
create_exception!(
    ndvt,
    UnknownInstanceError,
    Error,
    "The instance name is not one of ndvt's parameter sets (see ndvt.INSTANCES)."
);
create_exception!(
    ndvt,
    InvalidArgumentError,
    Error,
    "An argument is malformed (the C ABI's NDVT_ERR_INVALID_ARGUMENT): a wrong length, a bad entry kind, a \
     closed signer."
);
create_exception!(
    ndvt,
    LengthError,
    InvalidArgumentError,
    "A fixed-size argument (seed, message) has the wrong length."
);
create_exception!(
    ndvt,
    MessageLengthError,
    InvalidArgumentError,
    "A group or aggregate call got a message that is not 32 bytes."
);
create_exception!(ndvt, PublicKeyError, Error, "Public key bytes do not decode under the instance.");
create_exception!(
    ndvt,
    KeyRangeError,
    Error,
    "The requested activation range cannot be a key of this instance (empty, beyond the lifetime, \
     exhausted)."
);
create_exception!(
    ndvt,
    RefusedError,
    Error,
    "The durable signer refused: the epoch is at or below the watermark, or was signed for another message. \
     Nothing was released."
);
create_exception!(
    ndvt,
    NotSignableError,
    Error,
    "The key cannot sign this epoch now: outside its activation range or its prepared window (call \
     Signer.prepare first)."
);
create_exception!(
    ndvt,
    LockedError,
    Error,
    "Another signer, in this process or another, holds the key directory (or this signer was opened in \
     the parent of a fork)."
);
create_exception!(
    ndvt,
    KeyDirectoryError,
    Error,
    "The key directory cannot be used: missing, corrupt, of another instance, already holding a key, or a \
     write failed (then nothing was released)."
);
create_exception!(ndvt, RandomnessError, Error, "The operating system gave no randomness.");
create_exception!(
    ndvt,
    LinterError,
    Error,
    "The threshold linter refused the group: zero threshold, threshold above n, or disjoint quorums (2m <= n) \
     without allow_disjoint_quorums."
);
create_exception!(ndvt, GroupKeyError, Error, "Group key or member key bytes are malformed.");
create_exception!(
    ndvt,
    GroupSignatureError,
    Error,
    "Shares or contributions do not make a group signature or aggregate (the C ABI's \
     NDVT_ERR_GROUP_SIGNATURE)."
);
create_exception!(ndvt, ShareError, GroupSignatureError, "A share's bytes do not decode.");
create_exception!(
    ndvt,
    BelowThresholdError,
    GroupSignatureError,
    "Fewer than m valid distinct shares for one (epoch, message)."
);
create_exception!(
    ndvt,
    SignatureError,
    GroupSignatureError,
    "A member signature does not decode (into a share or an aggregate contribution)."
);
create_exception!(
    ndvt,
    ContributionError,
    GroupSignatureError,
    "A contribution does not fit the aggregate: unknown participant, another epoch or message, a \
     malformed group signature."
);
create_exception!(
    ndvt,
    KeystoreError,
    Error,
    "The bytes are not a keystore this reader accepts (malformed, another version or scheme, KDF costs \
     above the limits), or the key's instance has no keystore scheme."
);
create_exception!(ndvt, WrongPasswordError, KeystoreError, "The password does not open the keystore.");
create_exception!(
    ndvt,
    TamperedError,
    KeystoreError,
    "The password is right but the keystore's ciphertext or a field bound to it was changed."
);
create_exception!(
    ndvt,
    EmptyPasswordError,
    InvalidArgumentError,
    "An empty password (after EIP-2335 normalisation) protects nothing: export refuses it."
);
create_exception!(
    ndvt,
    FirstEpochRequiredError,
    Error,
    "Importing a keystore into a new directory needs first_epoch: the keystore's snapshot is not \
     authoritative."
);
create_exception!(
    ndvt,
    WatermarkBehindError,
    Error,
    "The key directory's record is behind the keystore's snapshot: refused, to protect the watermark."
);
create_exception!(ndvt, KeyMismatchError, Error, "The key directory holds another key than the keystore.");
create_exception!(
    ndvt,
    HistoryError,
    Error,
    "An EIP-3076 interchange file was refused: malformed, for another chain, or without the key."
);

/// The error and its causes on one line: "what failed: why".
fn describe(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let next = s.to_string();
        // Some messages already end with their cause's text: say it once.
        if !text.ends_with(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = s.source();
    }
    text
}

/// The exception for a key, signer or verification-usage error.
pub(crate) fn key_error(e: KeyFailure) -> PyErr {
    let message = describe(&e);
    match e {
        KeyFailure::UnknownInstance(_) => UnknownInstanceError::new_err(message),
        KeyFailure::Length { .. } => LengthError::new_err(message),
        KeyFailure::PublicKey(_) => PublicKeyError::new_err(message),
        KeyFailure::Key(_) => KeyRangeError::new_err(message),
        KeyFailure::Refused(_) => RefusedError::new_err(message),
        KeyFailure::NotSignable(_) => NotSignableError::new_err(message),
        KeyFailure::Locked(_) => LockedError::new_err(message),
        KeyFailure::KeyDirectory(_) => KeyDirectoryError::new_err(message),
        KeyFailure::Randomness(_) => RandomnessError::new_err(message),
        // The enum is non-exhaustive: a class added later is still an ndvt.Error until it gets its own.
        _ => Error::new_err(message),
    }
}

/// The exception for a group or aggregate error.
pub(crate) fn group_error(e: GroupFailure) -> PyErr {
    let message = describe(&e);
    match e {
        GroupFailure::Linter(_) => LinterError::new_err(message),
        GroupFailure::GroupKey(_) => GroupKeyError::new_err(message),
        GroupFailure::Share { .. } => ShareError::new_err(message),
        GroupFailure::BelowThreshold { .. } => BelowThresholdError::new_err(message),
        GroupFailure::Signature(_) => SignatureError::new_err(message),
        GroupFailure::Contribution { .. } => ContributionError::new_err(message),
        GroupFailure::MessageLength(_) => MessageLengthError::new_err(message),
        _ => Error::new_err(message),
    }
}

/// The exception for a keystore or history error.
pub(crate) fn keystore_error(e: KeystoreFailure) -> PyErr {
    let message = describe(&e);
    match e {
        KeystoreFailure::Key(inner) => key_error(inner),
        KeystoreFailure::Keystore(_) => KeystoreError::new_err(message),
        KeystoreFailure::WrongPassword => WrongPasswordError::new_err(message),
        KeystoreFailure::Tampered => TamperedError::new_err(message),
        KeystoreFailure::EmptyPassword => EmptyPasswordError::new_err(message),
        KeystoreFailure::FirstEpochRequired(_) => FirstEpochRequiredError::new_err(message),
        KeystoreFailure::WatermarkBehind(_) => WatermarkBehindError::new_err(message),
        KeystoreFailure::KeyMismatch(_) => KeyMismatchError::new_err(message),
        KeystoreFailure::History(_) => HistoryError::new_err(message),
        KeystoreFailure::Randomness(_) => RandomnessError::new_err(message),
        _ => Error::new_err(message),
    }
}

/// An argument the binding itself refuses (a bad entry kind, a closed signer).
pub(crate) fn invalid_argument(message: impl Into<String>) -> PyErr {
    InvalidArgumentError::new_err(message.into())
}

/// Adds every exception class to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("Error", py.get_type::<Error>())?;
    m.add("UnknownInstanceError", py.get_type::<UnknownInstanceError>())?;
    m.add("InvalidArgumentError", py.get_type::<InvalidArgumentError>())?;
    m.add("LengthError", py.get_type::<LengthError>())?;
    m.add("MessageLengthError", py.get_type::<MessageLengthError>())?;
    m.add("PublicKeyError", py.get_type::<PublicKeyError>())?;
    m.add("KeyRangeError", py.get_type::<KeyRangeError>())?;
    m.add("RefusedError", py.get_type::<RefusedError>())?;
    m.add("NotSignableError", py.get_type::<NotSignableError>())?;
    m.add("LockedError", py.get_type::<LockedError>())?;
    m.add("KeyDirectoryError", py.get_type::<KeyDirectoryError>())?;
    m.add("RandomnessError", py.get_type::<RandomnessError>())?;
    m.add("LinterError", py.get_type::<LinterError>())?;
    m.add("GroupKeyError", py.get_type::<GroupKeyError>())?;
    m.add("GroupSignatureError", py.get_type::<GroupSignatureError>())?;
    m.add("ShareError", py.get_type::<ShareError>())?;
    m.add("BelowThresholdError", py.get_type::<BelowThresholdError>())?;
    m.add("SignatureError", py.get_type::<SignatureError>())?;
    m.add("ContributionError", py.get_type::<ContributionError>())?;
    m.add("KeystoreError", py.get_type::<KeystoreError>())?;
    m.add("WrongPasswordError", py.get_type::<WrongPasswordError>())?;
    m.add("TamperedError", py.get_type::<TamperedError>())?;
    m.add("EmptyPasswordError", py.get_type::<EmptyPasswordError>())?;
    m.add("FirstEpochRequiredError", py.get_type::<FirstEpochRequiredError>())?;
    m.add("WatermarkBehindError", py.get_type::<WatermarkBehindError>())?;
    m.add("KeyMismatchError", py.get_type::<KeyMismatchError>())?;
    m.add("HistoryError", py.get_type::<HistoryError>())?;
    Ok(())
}
