//! Typed errors of the group layer: one variant per way a group key, group signature or aggregate is wrong.
//!
//! A member scheme's own error travels as the typed [`source`](std::error::Error::source) of the variant that
//! met it ([`SchemeError`]), never flattened into a string, and no message repeats its source.

use std::sync::Arc;

/// A member scheme's error (XMSS, Ed25519, …), kept whole as the source of a group-layer error.
///
/// It is type-erased so that one group-layer error type serves every scheme; [`SchemeError::downcast_ref`]
/// recovers the scheme's own type. Two values are equal when they print the same reason, which is what the
/// share collector needs to repeat a rejection.
#[derive(Clone, Debug)]
pub struct SchemeError(Arc<dyn std::error::Error + Send + Sync + 'static>);

impl SchemeError {
    /// Wraps a scheme's error.
    pub fn new(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        SchemeError(Arc::new(error))
    }

    /// The scheme's own error, if it is a `T`.
    pub fn downcast_ref<T: std::error::Error + 'static>(&self) -> Option<&T> {
        self.0.downcast_ref::<T>()
    }
}

impl core::fmt::Display for SchemeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for SchemeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl PartialEq for SchemeError {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.to_string() == other.0.to_string()
    }
}

impl Eq for SchemeError {}

/// Why a group key could not be built or decoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GroupKeyError {
    /// No members.
    #[error("a group needs at least one member")]
    Empty,
    /// More than 16 members.
    #[error("a group has at most 16 members, got {0}")]
    TooManyMembers(usize),
    /// m = 0.
    #[error("the threshold must be at least 1")]
    ZeroThreshold,
    /// m > n.
    #[error("threshold {m} exceeds the {n} members")]
    ThresholdAboveMembers {
        /// Threshold.
        m: u8,
        /// Members.
        n: u8,
    },
    /// The same key appears twice (it would count twice towards the threshold).
    #[error("members {first} and {second} have the same key")]
    DuplicateMemberKey {
        /// First position.
        first: u8,
        /// Second position.
        second: u8,
    },
    /// 2m ≤ n: two disjoint quorums can sign conflicting messages without any misbehaviour.
    #[error(
        "threshold {m} of {n} allows two disjoint quorums (2m <= n): honest members can be slashed; pass an \
         explicit backup policy to accept this"
    )]
    DisjointQuorums {
        /// Threshold.
        m: u8,
        /// Members.
        n: u8,
    },
    /// The encoding is shorter than its 3-byte header (scheme tag, m, n).
    #[error("group key of {0} bytes is shorter than its 3-byte header")]
    Truncated(usize),
    /// The key bytes after the header are not exactly n keys.
    #[error("{n} members need {expected} key bytes, got {got}")]
    KeyBytes {
        /// Members.
        n: u8,
        /// Bytes n keys take.
        expected: usize,
        /// Bytes found.
        got: usize,
    },
    /// A member's public key does not decode.
    #[error("member {index}'s public key does not decode")]
    MemberKey {
        /// The member.
        index: usize,
        /// The scheme's reason.
        #[source]
        source: SchemeError,
    },
    /// The encoded group key is for another scheme.
    #[error("group key is for scheme tag {found}, expected {expected}")]
    WrongScheme {
        /// This scheme's tag.
        expected: u8,
        /// Tag found.
        found: u8,
    },
}

/// Why a group signature is not valid for a group, epoch and message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GroupSignatureError {
    /// The signature names another group.
    #[error("the signature is for another group")]
    WrongGroup,
    /// A member index outside the roster.
    #[error("member {index} is not in the group of {n}")]
    UnknownMember {
        /// The index.
        index: u8,
        /// Group size.
        n: u8,
    },
    /// A share's key is not in the group's roster.
    #[error("the signer's key is not a member of the group")]
    NotAMember,
    /// The same member twice.
    #[error("member {0} appears twice")]
    DuplicateMember(u8),
    /// Indices not strictly increasing.
    #[error("member {index} follows member {previous}: indices must be strictly increasing")]
    UnorderedIndices {
        /// The earlier index.
        previous: u8,
        /// The index out of order.
        index: u8,
    },
    /// Fewer than m members.
    #[error("{have} member signatures, the threshold is {need}")]
    BelowThreshold {
        /// Distinct valid members.
        have: usize,
        /// The threshold m.
        need: usize,
    },
    /// A member's signature does not verify.
    #[error("member {index}'s signature is invalid")]
    InvalidMemberSignature {
        /// The member.
        index: u8,
        /// The scheme's reason.
        #[source]
        source: SchemeError,
    },
    /// Shares or signature for another epoch than expected.
    #[error("mixed epochs: expected {expected}, got {got}")]
    MixedEpoch {
        /// Expected epoch.
        expected: u64,
        /// Epoch found.
        got: u64,
    },
    /// Shares or signature over another message than expected.
    #[error("mixed messages: a share or signature is over another message")]
    MixedMessage,
    /// The encoding is shorter than its header (group id, epoch, message, entry count).
    #[error("group signature of {0} bytes is shorter than its header")]
    Truncated(usize),
    /// The bytes after the header are not exactly the announced entries.
    #[error("{count} entries need {expected} bytes, got {got}")]
    EntryBytes {
        /// Entries announced.
        count: usize,
        /// Bytes they take.
        expected: usize,
        /// Bytes found.
        got: usize,
    },
    /// A member's signature bytes do not decode.
    #[error("member {index}'s signature does not decode")]
    MemberSignature {
        /// The member index the entry names.
        index: u8,
        /// The scheme's reason.
        #[source]
        source: SchemeError,
    },
}

/// Why a share could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShareDecodeError {
    /// Wrong length.
    #[error("share: expected {expected} bytes, got {got}")]
    Length {
        /// Required length.
        expected: usize,
        /// Actual length.
        got: usize,
    },
    /// The signature inside does not decode.
    #[error("the share's signature does not decode")]
    Signature(#[source] SchemeError),
    /// The public key inside does not decode.
    #[error("the share's public key does not decode")]
    PublicKey(#[source] SchemeError),
    /// The share is for another scheme or parameter set.
    #[error("share is for scheme tag {found}, expected {expected}")]
    WrongScheme {
        /// This scheme's tag.
        expected: u8,
        /// Tag found.
        found: u8,
    },
}
