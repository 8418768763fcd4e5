//! Typed errors of the group layer: one variant per way a group key, group signature or aggregate is wrong.

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
    /// The encoded group key is malformed.
    #[error("malformed group key: {0}")]
    Decode(String),
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
    #[error("member {index}'s signature is invalid: {reason}")]
    InvalidMemberSignature {
        /// The member.
        index: u8,
        /// The scheme's reason.
        reason: String,
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
    /// The bytes are malformed.
    #[error("malformed group signature: {0}")]
    Decode(String),
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
    #[error("share signature: {0}")]
    Signature(String),
    /// The public key inside does not decode.
    #[error("share public key: {0}")]
    PublicKey(String),
    /// The share is for another scheme or parameter set.
    #[error("share is for scheme tag {found}, expected {expected}")]
    WrongScheme {
        /// This scheme's tag.
        expected: u8,
        /// Tag found.
        found: u8,
    },
}
