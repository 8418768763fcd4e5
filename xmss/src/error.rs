//! Typed errors. Every failure reachable from bytes or from a caller's epoch lands in one of these.

/// Why a (message, rho) pair has no codeword.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodingError {
    /// A hash output element was at or above `Q · w^z` (the aborting hypercube encoding).
    #[error("message hash aborted (output element at or above Q·w^z)")]
    Aborted,
    /// A digest bit that no digit reads is set (leanVM's rule: bits 63 and 127 must be zero).
    #[error("leftover bit {bit} of the message digest is set")]
    LeftoverBit {
        /// The bit's index in the digest, read as little-endian words.
        bit: u32,
    },
    /// The digits do not sum to the target.
    #[error("codeword sums to {got}, the target sum is {expected}")]
    TargetSum {
        /// The instance's target sum.
        expected: usize,
        /// The sum of the digits.
        got: usize,
    },
}

/// Why bytes were not accepted as a key or signature.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// A fixed-size item or the whole input has the wrong length.
    #[error("{what}: expected {expected} bytes, got {got}")]
    Length {
        /// The item.
        what: &'static str,
        /// Required length.
        expected: usize,
        /// Actual length.
        got: usize,
    },
    /// A field element word is not below p (leanSig would reduce it; we refuse malleable encodings).
    #[error("{what}: field element {index} is {value:#010x}, not below p")]
    NonCanonicalFieldElement {
        /// The item.
        what: &'static str,
        /// Index of the element within the item.
        index: usize,
        /// The offending word.
        value: u32,
    },
    /// An SSZ offset does not point where the canonical encoding puts it.
    #[error("{what}: SSZ offset is {got}, expected {expected}")]
    Offset {
        /// The item.
        what: &'static str,
        /// Canonical offset.
        expected: u64,
        /// Offset found.
        got: u64,
    },
    /// The Merkle co-path does not have one sibling per tree level.
    #[error("co-path has {got} siblings, the tree depth is {expected}")]
    PathLength {
        /// Tree depth.
        expected: usize,
        /// Siblings found.
        got: usize,
    },
    /// The signature does not carry one value per chain.
    #[error("signature has {got} chain values, the instance has {expected} chains")]
    HashCount {
        /// Number of chains `v`.
        expected: usize,
        /// Values found.
        got: usize,
    },
    /// An encoded epoch lies beyond the instance's lifetime.
    #[error("epoch {epoch} is outside the lifetime 2^{log_lifetime}")]
    EpochOutOfRange {
        /// The epoch found.
        epoch: u64,
        /// log2 of the lifetime.
        log_lifetime: u32,
    },
    /// A secret-key field is inconsistent with the instance or with another field.
    #[error("secret key: {0}")]
    SecretKey(&'static str),
}

/// Why a signature was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The epoch is outside the key lifetime.
    #[error("epoch {epoch} is outside the lifetime 2^{log_lifetime}")]
    EpochOutOfRange {
        /// The epoch given.
        epoch: u64,
        /// log2 of the lifetime.
        log_lifetime: u32,
    },
    /// The message is not 32 bytes.
    #[error("message must be 32 bytes, got {0}")]
    MessageLength(usize),
    /// The signature bytes did not decode.
    #[error("malformed signature")]
    Decode(#[from] DecodeError),
    /// (message, rho) has no codeword: the signature was not made for this message and epoch.
    #[error("no codeword for this message and rho")]
    Encoding(#[from] EncodingError),
    /// The chain ends and co-path do not lead to the public key's root.
    #[error("Merkle root mismatch: the signature does not match this key, epoch and message")]
    RootMismatch,
}

/// Why a key could not be generated or its window advanced.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The requested activation range is empty.
    #[error("the activation range must contain at least one epoch")]
    EmptyActivation,
    /// The requested activation range reaches past the lifetime.
    #[error("activation range [{start}, {end}) exceeds the lifetime {lifetime}")]
    ActivationBeyondLifetime {
        /// Requested start.
        start: u64,
        /// Requested end (exclusive).
        end: u64,
        /// The instance lifetime.
        lifetime: u64,
    },
    /// The prepared window already covers the end of the activation range.
    #[error("the prepared window already ends at the activation end {end}: the key is exhausted")]
    ActivationExhausted {
        /// End of the activation range.
        end: u64,
    },
    /// The bottom tree computed for the next window does not hash to the key's own top-tree node: the key
    /// material (PRF key, parameter or top tree) is corrupted, and the window does not move.
    #[error("bottom tree {index} does not match the key's top tree: the secret key is corrupted")]
    InconsistentTree {
        /// Index of the bottom tree that does not match.
        index: u64,
    },
}

/// Why the low-level key refused to sign.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// The epoch is outside the key's activation range.
    #[error("epoch {epoch} is outside the activation range [{start}, {end})")]
    OutsideActivation {
        /// The epoch.
        epoch: u64,
        /// Activation start.
        start: u64,
        /// Activation end (exclusive).
        end: u64,
    },
    /// The epoch is active but outside the prepared window: advance the window first.
    #[error("epoch {epoch} is outside the prepared window [{start}, {end}); advance the key first")]
    NotPrepared {
        /// The epoch.
        epoch: u64,
        /// Window start.
        start: u64,
        /// Window end (exclusive).
        end: u64,
    },
    /// No codeword was found within the instance's attempt budget (probability negligible for real instances).
    #[error("no codeword after {0} attempts")]
    EncodingAttemptsExceeded(u64),
    /// The secret key's trees do not hold the path for this epoch (a corrupted key).
    #[error("the secret key does not hold the authentication path for epoch {0}")]
    MissingPath(u64),
    /// The randomness given to [`crate::hazmat::RawSign::sign_raw_with_rho`] gives no codeword.
    #[error("the given randomness gives no codeword: {0}")]
    Randomness(EncodingError),
    /// The computed signature did not verify (a corrupted key); nothing was released.
    #[error("the computed signature failed verification: {0}")]
    SelfCheck(VerifyError),
}
