//! Errors of the succinct proofs.

use p3_batch_stark::BatchVerificationError;
use p3_uni_stark::{PcsError, PcsProverError, ProvingError, VerificationError};

use super::config::Config;

/// Why the verifier refused a proof that decoded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// The proof's trace heights are not the ones its statement needs.
    #[error("trace heights 2^{got:?}, the statement needs 2^{expected:?}")]
    Heights {
        /// log2 of each table's height in the proof.
        got: Vec<usize>,
        /// log2 of each table's height the statement needs.
        expected: Vec<usize>,
    },
    /// The STARK verifier refused a single-table proof.
    #[error("the STARK verifier refused the proof")]
    Stark(#[source] VerificationError<PcsError<Config>>),
    /// The batch STARK verifier refused an aggregate proof (constraints, LogUp or grinding).
    #[error("the batch STARK verifier refused the proof")]
    Batch(#[source] BatchVerificationError<PcsError<Config>>),
}

/// Why proof bytes could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProofDecodeError {
    /// The input ended inside `what`.
    #[error("proof truncated inside {what}")]
    Truncated {
        /// The item being read.
        what: &'static str,
    },
    /// Bytes remained after the last item.
    #[error("{count} trailing bytes after the proof")]
    TrailingBytes {
        /// How many bytes remained.
        count: usize,
    },
    /// A field element word was at or above the modulus.
    #[error("non-canonical field element {value:#x} in {what}")]
    NonCanonicalFieldElement {
        /// The item being read.
        what: &'static str,
        /// The offending word.
        value: u32,
    },
    /// An option tag was neither 0 nor 1.
    #[error("option tag {tag} in {what} (expected 0 or 1)")]
    OptionTag {
        /// The item being read.
        what: &'static str,
        /// The offending tag.
        tag: u8,
    },
    /// A length prefix promised more items than the remaining input can hold.
    #[error("{what} claims {len} items but only {remaining} bytes remain")]
    LengthExceedsInput {
        /// The item being read.
        what: &'static str,
        /// The claimed length.
        len: usize,
        /// Bytes left in the input.
        remaining: usize,
    },
    /// A commitment did not hold exactly one Merkle root.
    #[error("{what} holds {got} Merkle roots, expected exactly 1")]
    CapSize {
        /// The item being read.
        what: &'static str,
        /// The number of roots found.
        got: usize,
    },
    /// The claimed trace height is larger than the field supports.
    #[error("degree_bits {got} exceeds the maximum {max}")]
    DegreeBits {
        /// The claimed log2 trace height.
        got: u8,
        /// The largest accepted value.
        max: u8,
    },
}

/// Why a statement could not be proven or a proof was not accepted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SuccinctError {
    /// A statement must contain at least one chain walk.
    #[error("the statement has no chain walks")]
    NoWalks,
    /// Too many chain walks for one proof.
    #[error("the statement has {got} chain walks, at most {max} are supported")]
    TooManyWalks {
        /// Walks in the statement.
        got: usize,
        /// The supported maximum.
        max: usize,
    },
    /// A walk is longer than one trace block allows.
    #[error("walk {index} has {steps} steps, at most {max} are supported")]
    TooManySteps {
        /// Index of the walk in the statement.
        index: usize,
        /// Its number of steps.
        steps: u8,
        /// The supported maximum.
        max: u8,
    },
    /// A walk would pass chain position 255 (chain tweaks hold the position in one byte).
    #[error("walk {index} starts at {start_pos} and takes {steps} steps, past position 255")]
    PositionOverflow {
        /// Index of the walk in the statement.
        index: usize,
        /// Its start position.
        start_pos: u8,
        /// Its number of steps.
        steps: u8,
    },
    /// A tree depth outside `1..=max`.
    #[error("tree depth {got} is outside 1..={max}")]
    Depth {
        /// The requested depth.
        got: u8,
        /// The supported maximum.
        max: u8,
    },
    /// A statement must contain at least one Merkle path.
    #[error("the statement has no Merkle paths")]
    NoPaths,
    /// Too many Merkle paths for one proof.
    #[error("the statement has {got} Merkle paths, at most {max} are supported")]
    TooManyPaths {
        /// Paths in the statement.
        got: usize,
        /// The supported maximum.
        max: usize,
    },
    /// A leaf position does not fit the tree.
    #[error("path {index}: position {position} does not fit a tree of depth {depth}")]
    PositionOutOfTree {
        /// Index of the path in the statement.
        index: usize,
        /// The position.
        position: u32,
        /// The tree depth.
        depth: u8,
    },
    /// A co-path does not have one sibling per level.
    #[error("path {index}: co-path of {got} siblings, the tree has depth {expected}")]
    CoPathLength {
        /// Index of the path.
        index: usize,
        /// Siblings given.
        got: usize,
        /// The tree depth.
        expected: u8,
    },
    /// A number of chains outside `1..=max`.
    #[error("{got} chains per leaf is outside 1..={max}")]
    Dimension {
        /// The requested number of chains.
        got: usize,
        /// The supported maximum.
        max: usize,
    },
    /// A statement must contain at least one leaf.
    #[error("the statement has no leaves")]
    NoLeaves,
    /// Too many leaves for one proof.
    #[error("the statement has {got} leaves, at most {max} are supported")]
    TooManyLeaves {
        /// Leaves in the statement.
        got: usize,
        /// The supported maximum.
        max: usize,
    },
    /// A leaf does not have one end per chain.
    #[error("leaf {index}: {got} chain ends, expected {expected}")]
    EndsLength {
        /// Index of the leaf.
        index: usize,
        /// Ends given.
        got: usize,
        /// The number of chains.
        expected: usize,
    },
    /// A statement must contain at least one message.
    #[error("the statement has no messages")]
    NoMessages,
    /// Too many messages for one proof.
    #[error("the statement has {got} messages, at most {max} are supported")]
    TooManyMessages {
        /// Messages in the statement.
        got: usize,
        /// The supported maximum.
        max: usize,
    },
    /// A message has no codeword (the hash aborted or missed the target sum): nothing to prove.
    #[error("message {index} has no codeword")]
    Encoding {
        /// Index of the message.
        index: usize,
        /// Why ndvt-xmss refused it.
        #[source]
        source: ndvt_xmss::EncodingError,
    },
    /// A claimed codeword digit is not below the base.
    #[error("claim {index}: a codeword digit is not below 8")]
    DigitRange {
        /// Index of the claim.
        index: usize,
    },
    /// A claimed codeword does not sum to the target.
    #[error("claim {index}: codeword sums to {got}, the target sum is {expected}")]
    TargetSum {
        /// Index of the claim.
        index: usize,
        /// The digit sum.
        got: usize,
        /// The target sum.
        expected: usize,
    },
    /// An aggregate statement had no participants.
    #[error("the aggregate statement has no participants")]
    NoParticipants,
    /// A group's threshold or size is out of range.
    #[error("a group of {members} members with threshold {threshold}: need 1 ≤ m ≤ n ≤ 16")]
    GroupShape {
        /// The threshold m.
        threshold: u8,
        /// The number of members n.
        members: usize,
    },
    /// A group lists one key twice.
    #[error("a group lists the same member key twice")]
    DuplicateMemberKey,
    /// The statement needs more signatures than one proof carries.
    #[error("the statement needs {got} signatures, at most {max} fit one proof")]
    TooManySignatures {
        /// Signatures needed (the sum of the thresholds).
        got: usize,
        /// The largest supported number.
        max: usize,
    },
    /// A contribution names a participant the statement does not have.
    #[error("contribution for participant {participant}, the statement has {participants}")]
    UnknownParticipant {
        /// The index given.
        participant: usize,
        /// Participants in the statement.
        participants: usize,
    },
    /// A contribution names a member index outside the participant's roster.
    #[error("participant {participant} has no member {member}")]
    UnknownMember {
        /// The participant.
        participant: usize,
        /// The member index given.
        member: u8,
    },
    /// A contribution's signature does not verify under its member key.
    #[error("participant {participant}, member {member}: the signature does not verify")]
    InvalidSignature {
        /// The participant.
        participant: usize,
        /// The member.
        member: u8,
    },
    /// A participant has fewer distinct valid signatures than its threshold.
    #[error("participant {participant} has {got} distinct valid signatures, its threshold is {need}")]
    BelowThreshold {
        /// The participant.
        participant: usize,
        /// Distinct valid signatures offered.
        got: usize,
        /// The threshold.
        need: usize,
    },
    /// A participation bitlist does not cover the registry exactly.
    #[error("participation covers {bits} entries, the registry has {registry}")]
    Participation {
        /// Bits in the bitlist.
        bits: usize,
        /// Registry entries.
        registry: usize,
    },
    /// A registry longer than a 32-bit index can address.
    #[error("a registry of {0} entries is beyond 2^32")]
    RegistryTooLarge(usize),
    /// The participation does not give one registry index per participant.
    #[error("{indices} registry indices for {participants} participants")]
    ParticipantIndices {
        /// Indices in the participation.
        indices: usize,
        /// Participants in the statement.
        participants: usize,
    },
    /// A participant's registry index is outside the registry or not above the previous one.
    #[error("registry index {index} is out of order or outside a registry of {registry} entries")]
    ParticipantIndex {
        /// The index.
        index: u32,
        /// Registry entries.
        registry: u32,
    },
    /// The epoch is beyond a Devnet 4 key's 2^32 lifetime.
    #[error("epoch {0} is beyond the 2^32 lifetime")]
    EpochRange(u64),
    /// An SSZ offset of the aggregate container points outside it or out of order.
    #[error("SSZ offset of {field} is {offset}, which does not fit a container of {len} bytes")]
    ContainerOffset {
        /// The field whose offset is wrong.
        field: &'static str,
        /// The offset read.
        offset: usize,
        /// The container's length.
        len: usize,
    },
    /// The participation bitlist bytes are malformed.
    #[error("malformed participation bitlist")]
    Bits(#[from] crate::bitlist::BitListError),
    /// The proof bytes exceed what an aggregate may carry.
    #[error("proof of {got} bytes, at most {max} may travel in an aggregate")]
    ProofTooLarge {
        /// Bytes of the proof.
        got: usize,
        /// The cap.
        max: usize,
    },
    /// The proof bytes are malformed.
    #[error("malformed proof")]
    Decode(#[from] ProofDecodeError),
    /// A witness row's message hash aborts (only a dishonest witness gets this far).
    #[error("a witness's message hash aborts")]
    MessageHashAborts,
    /// A witness's codeword misses the target sum (only a dishonest witness gets this far).
    #[error("a witness's codeword misses the target sum")]
    TargetSumMissed,
    /// The field has no two-adic domain of the size a trace needs.
    #[error("no two-adic domain of 2^{degree_bits} points")]
    TraceDomain {
        /// log2 of the trace height.
        degree_bits: usize,
    },
    /// The prover's commitment scheme failed (a configuration error, not a property of the statement).
    #[error("the commitment scheme failed")]
    Proving(#[source] ProvingError<PcsProverError<Config>>),
    /// The proof does not prove the statement.
    #[error("proof rejected")]
    Rejected(#[from] Rejection),
}
