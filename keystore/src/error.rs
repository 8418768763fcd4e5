//! Why a keystore or an interchange file was refused. Every class of bad input has its own variant, so
//! callers and tests can tell a wrong password from a tampered file from a hostile parameter.

/// Why a keystore could not be read, written or decrypted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeystoreError {
    /// The file is larger than any keystore of a supported instance (read no further).
    #[error("the keystore is larger than {limit} bytes, the largest valid keystore")]
    TooLarge {
        /// The cap.
        limit: u64,
    },
    /// The bytes are not a JSON object of the keystore's shape.
    #[error("not a keystore: {0}")]
    Json(String),
    /// A field is missing, of the wrong type or malformed.
    #[error("keystore field {field}: {why}")]
    Field {
        /// The field's path, e.g. `crypto.cipher.params.iv`.
        field: &'static str,
        /// What is wrong with it.
        why: String,
    },
    /// `version` is not 5. Version 4 is EIP-2335's reusable BLS key, which a consumable key must never be
    /// treated as (EIP-8310, "Backwards Compatibility").
    #[error("keystore version {0} is not supported (this reads version 5, EIP-8310)")]
    UnknownVersion(u64),
    /// `scheme.name` is not `leanxmss`: a reader must refuse a scheme it does not recognise.
    #[error("unknown signature scheme {0:?}")]
    UnknownScheme(String),
    /// The scheme parameters name no instance ndvt supports (or are inconsistent with each other).
    #[error("scheme parameters match no supported instance: {0}")]
    UnsupportedParameters(String),
    /// The keystore holds a key of another instance than the one asked for.
    #[error("the keystore holds a {found} key, expected {expected}")]
    WrongInstance {
        /// The instance asked for.
        expected: &'static str,
        /// The instance the keystore names.
        found: &'static str,
    },
    /// `crypto.kdf.function` is neither `argon2id` nor `scrypt`.
    #[error("unsupported key derivation function {0:?}")]
    UnsupportedKdf(String),
    /// The KDF parameters are outside the bounds this reader accepts (a hostile file could otherwise make it
    /// allocate or compute without end), or malformed.
    #[error("KDF parameters refused: {0}")]
    KdfParams(String),
    /// `crypto.cipher.function` is not `aes-256-gcm` (`aes-128-ctr` is forbidden in version 5).
    #[error("unsupported cipher {0:?}")]
    UnsupportedCipher(String),
    /// `crypto.checksum.function` is not `sha256`.
    #[error("unsupported checksum function {0:?}")]
    UnsupportedChecksum(String),
    /// The password does not open the keystore: its derived key fails the checksum.
    #[error("wrong password")]
    WrongPassword,
    /// The password is right but the ciphertext, its nonce or a field bound to it (public key, scheme, uuid)
    /// was changed: the authentication tag does not verify.
    #[error("the keystore was tampered with: authentication failed although the password is right")]
    Tampered,
    /// The decrypted secret is not a valid secret key of the instance.
    #[error("the decrypted secret key is invalid")]
    Secret(#[source] ndvt_xmss::DecodeError),
    /// The decrypted secret key's trees do not hash consistently.
    #[error("the decrypted secret key is inconsistent")]
    InconsistentSecret(#[source] ndvt_xmss::ConsistencyError),
    /// The decrypted key does not match the keystore's clear fields (public key or activation).
    #[error("the decrypted key does not match the keystore's {0}")]
    Mismatch(&'static str),
    /// The state snapshot claims to be authoritative, or names an authority inconsistent with the index mode.
    #[error("state snapshot refused: {0}")]
    State(String),
    /// The reserved leaf ranges overlap, leave the lifetime or are malformed.
    #[error("reserved leaf ranges refused: {0}")]
    ReservedRanges(String),
    /// No OS randomness for salt, nonce or uuid.
    #[error("no randomness for the keystore")]
    Randomness,
}

/// Why an EIP-3076 interchange file was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InterchangeError {
    /// The file is larger than the cap (read no further).
    #[error("the interchange file is larger than {limit} bytes")]
    TooLarge {
        /// The cap.
        limit: u64,
    },
    /// The bytes are not a JSON document of the interchange's shape.
    #[error("not an EIP-3076 interchange file: {0}")]
    Json(String),
    /// `metadata.interchange_format_version` is not `"5"`.
    #[error("interchange format version {0:?} is not supported (this reads \"5\")")]
    UnknownVersion(String),
    /// A field is malformed (a number that is not a canonical decimal u64, a root that is not 32 hex bytes…).
    #[error("interchange field {field}: {why}")]
    Field {
        /// The field.
        field: &'static str,
        /// What is wrong.
        why: String,
    },
    /// The file is for another chain.
    #[error("the file's genesis_validators_root {found} is not this chain's {expected}")]
    GenesisMismatch {
        /// The root the importer expects, hex.
        expected: String,
        /// The file's root, hex.
        found: String,
    },
    /// The file has no entry for the key being imported.
    #[error("the file has no history for public key {0}")]
    NoEntryForKey(String),
}
