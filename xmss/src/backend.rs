//! The interface between the one generalized-XMSS core and a hash back-end.
//!
//! The core (trees, activation, the prepared window, key generation, signing, verification, encodings of
//! keys and signatures, the durable signer) is written once, over [`TweakableHash`]. A back-end supplies
//! the hash calls of the construction, each already batched over its SIMD lanes: chain walks, leaves, tree
//! layers, the message digest and the PRF that derives a key's secrets. What it hashes with (Poseidon1 over
//! KoalaBear, SHA-3, BLAKE3, BLAKE2s) and how it lays out tweaks is its own business; what the core needs
//! from it is only this trait. A parameter set ([`crate::Instance`]) then picks a back-end, an
//! [`Encoding`] and constants.

use core::fmt::Debug;
use core::ops::Range;

use crate::batch_verify::BatchItem;
use crate::error::{DecodeError, EncodingError, VerifyError};
use crate::field::{F, FE_BYTES, get_elems, put_elems};
use crate::instance::Instance;

/// A fixed-width value that crosses the byte boundary: a digest, a parameter or a randomness.
///
/// Decoding is strict: `read` refuses what `write` could not have produced (for field elements, a word at
/// or above p), so every value has exactly one encoding.
pub trait Element: Copy + Eq + core::hash::Hash + Default + Debug + Send + Sync + 'static {
    /// Encoded width in bytes.
    const BYTES: usize;
    /// Appends the encoding.
    fn write(&self, out: &mut Vec<u8>);
    /// Decodes exactly [`Element::BYTES`] bytes; `what` names the field in the error.
    fn read(bytes: &[u8], what: &'static str) -> Result<Self, DecodeError>;
}

macro_rules! byte_elements {
    ($($n:literal),*) => {$(
        impl Element for [u8; $n] {
            const BYTES: usize = $n;
            fn write(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(self);
            }
            fn read(bytes: &[u8], what: &'static str) -> Result<Self, DecodeError> {
                bytes.try_into().map_err(|_| DecodeError::Length { what, expected: $n, got: bytes.len() })
            }
        }
    )*};
}
byte_elements!(16, 18, 24, 32);

macro_rules! field_elements {
    ($($n:literal),*) => {$(
        impl Element for [F; $n] {
            const BYTES: usize = $n * FE_BYTES;
            fn write(&self, out: &mut Vec<u8>) {
                put_elems(out, self);
            }
            fn read(bytes: &[u8], what: &'static str) -> Result<Self, DecodeError> {
                get_elems::<$n>(bytes, what)
            }
        }
    )*};
}
field_elements!(5, 7, 8);

/// What a key's 32-byte seed expands into.
pub struct Derived<H: TweakableHash> {
    /// The PRF key: the only secret a signing key needs besides its trees.
    pub prf_key: zeroize::Zeroizing<[u8; 32]>,
    /// The public hash parameter.
    pub parameter: H::Parameter,
    /// The key of the filler nodes that stand in for tree nodes outside the activation range.
    pub pad_key: zeroize::Zeroizing<[u8; 32]>,
}

/// A tweakable-hash back-end with everything generalized XMSS hashes, batched over its lanes.
///
/// Every call carries a tweak that is unique within a key (chain position, tree node, epoch), so that a
/// preimage search attacks one target per call. Implementations must give the same result whatever the
/// batch shape: the tests of each back-end compare every batched call with a one-at-a-time reference.
pub trait TweakableHash: Copy + Debug + Default + Eq + Send + Sync + 'static {
    /// Family name used in reports: `poseidon1`, `sha3`, `blake3`, `blake2s`.
    const FAMILY: &'static str;
    /// Whether [`TweakableHash::filler`] keys on the PRF key itself, so that a key can recompute filler
    /// nodes after generation (needed by exact, unaligned activation ranges, which may pad bottom trees).
    const PAD_KEY_IS_PRF_KEY: bool;
    /// Whether the back-end counts its hash calls ([`crate::byte_xmss::hash_count`]); the others report
    /// counts derived from the parameters.
    const COUNTS_HASH_CALLS: bool = false;

    /// A tree node and a chain value.
    type Digest: Element;
    /// The public parameter of a key.
    type Parameter: Element;
    /// The signing randomness.
    type Rho: Element;
    /// The message digest the encoding reads digits from.
    type MessageDigest: Copy + Debug;

    /// Expands a seed; `instance` (the parameter set's name) separates the keys of different sets.
    fn derive(instance: &str, seed: &[u8; 32]) -> Derived<Self>;

    /// The filler node at (`level`, `position`), outside the activation range.
    fn filler(pad_key: &[u8; 32], level: u32, position: u64) -> Self::Digest;

    /// The secret chain starts (value 0) of chains `0..count` at `epoch`.
    fn chain_starts(prf_key: &[u8; 32], epoch: u32, count: usize) -> Vec<Self::Digest>;

    /// Walks chain `i` of `epoch` from value `from[i]` to value `to[i]`, for every `i` at once.
    fn walk_all(parameter: &Self::Parameter, epoch: u32, values: &mut [Self::Digest], from: &[u8], to: &[u8]);

    /// The leaf (one-time public key) of `epoch` from its chain ends.
    fn leaf(parameter: &Self::Parameter, epoch: u32, ends: &[Self::Digest]) -> Self::Digest;

    /// The leaves of `epochs`: chain starts, full walks to `base − 1`, leaf hashes. Key generation's cost.
    fn leaves(
        prf_key: &[u8; 32],
        parameter: &Self::Parameter,
        epochs: Range<u64>,
        dimension: usize,
        base: usize,
    ) -> Vec<Self::Digest>;

    /// The tree node at (`level`, `position`) over `left` and `right`.
    fn parent(
        parameter: &Self::Parameter,
        level: u8,
        position: u32,
        left: &Self::Digest,
        right: &Self::Digest,
    ) -> Self::Digest;

    /// Hashes the pairs of `children` (the first at an even position) into the parents at `level`, the
    /// first at `parent_start`.
    fn hash_layer(
        parameter: &Self::Parameter,
        level: u8,
        parent_start: u64,
        children: &[Self::Digest],
    ) -> Vec<Self::Digest>;

    /// The message digest at `epoch` under randomness `rho`.
    fn message_digest(
        parameter: &Self::Parameter,
        epoch: u32,
        rho: &Self::Rho,
        message: &[u8; 32],
    ) -> Self::MessageDigest;

    /// Signing's search: the randomness of attempts `first..` (derived from the PRF key, so signing is
    /// deterministic), one batch of lanes at a time, until `accept` takes a digest. Returns the number of
    /// attempts made and the accepted randomness; the caller bounds `first` by its attempt cap.
    fn grind(
        prf_key: &[u8; 32],
        parameter: &Self::Parameter,
        epoch: u32,
        message: &[u8; 32],
        first: u64,
        accept: &mut dyn FnMut(&Self::MessageDigest) -> bool,
    ) -> (u64, Option<Self::Rho>);

    /// Verifies a batch; `result[i]` is what `items[i]`'s single verification returns. The default runs one
    /// signature per task on rayon's pool; a back-end with a lane-per-signature path overrides it.
    fn verify_batch<I: Instance<Hash = Self>>(items: &[BatchItem<'_, I>]) -> Vec<Result<(), VerifyError>> {
        crate::batch_verify::verify_each(items)
    }
}

/// An incomparable encoding: the digits a message digest gives, or why it gives none.
pub trait Encoding: Copy + Debug + Default + Send + Sync + 'static {
    /// The message digest it reads.
    type Digest;
    /// Writes `dimension` digits below `base` into `out` if the digest encodes, with digit sum `target`.
    fn codeword(
        digest: &Self::Digest,
        dimension: usize,
        base: usize,
        target: usize,
        out: &mut [u8],
    ) -> Result<(), EncodingError>;
}

/// The check every target-sum encoding ends with.
pub(crate) fn target_sum(digits: &[u8], target: usize) -> Result<(), EncodingError> {
    let sum: usize = digits.iter().map(|&d| usize::from(d)).sum();
    if sum == target { Ok(()) } else { Err(EncodingError::TargetSum { expected: target, got: sum }) }
}

/// Decodes a concatenation of elements (a whole number of them); `what` names the list in errors, and a
/// non-canonical field element is numbered within the whole list.
pub(crate) fn read_list<D: Element>(bytes: &[u8], what: &'static str) -> Result<Vec<D>, DecodeError> {
    if !bytes.len().is_multiple_of(D::BYTES) {
        let expected = bytes.len().div_ceil(D::BYTES) * D::BYTES;
        return Err(DecodeError::Length { what, expected, got: bytes.len() });
    }
    bytes
        .chunks_exact(D::BYTES)
        .enumerate()
        .map(|(i, chunk)| {
            D::read(chunk, what).map_err(|e| match e {
                DecodeError::NonCanonicalFieldElement { what, index, value } => {
                    let index = i * (D::BYTES / FE_BYTES) + index;
                    DecodeError::NonCanonicalFieldElement { what, index, value }
                }
                other => other,
            })
        })
        .collect()
}

/// Appends every element of `list`.
pub(crate) fn write_list<D: Element>(out: &mut Vec<u8>, list: &[D]) {
    for item in list {
        item.write(out);
    }
}

/// SHAKE128 of the concatenation of `parts`, as a reader: how the Poseidon1 and byte back-ends expand a
/// seed (`domain ‖ set name ‖ 0 ‖ seed`) and derive filler nodes (`domain ‖ key ‖ LE32 level ‖ LE64 position`).
pub(crate) fn shake128(parts: &[&[u8]]) -> impl sha3::digest::XofReader + use<> {
    use sha3::digest::{ExtendableOutput, Update};
    let mut h = sha3::Shake128::default();
    for part in parts {
        h.update(part);
    }
    h.finalize_xof()
}

/// The SHAKE128 input parts of filler node (`level`, `position`) under `key`.
pub(crate) fn filler_parts<'a>(
    domain: &'a [u8],
    key: &'a [u8; 32],
    level: &'a [u8; 4],
    position: &'a [u8; 8],
) -> [&'a [u8]; 4] {
    [domain, key, level, position]
}

/// Walks chains in lockstep rounds: each round takes the chains that still have steps to go, `lanes` at a
/// time, and `step(group, at)` advances the chains `group` by one step out of their current values `at`.
/// The chains of one epoch are independent, so a round fills the lanes of a batched hash call.
pub(crate) fn lockstep(from: &[u8], to: &[u8], lanes: usize, mut step: impl FnMut(&[usize], &[u8])) {
    let mut position = from.to_vec();
    let mut active = Vec::with_capacity(from.len());
    let mut at = Vec::with_capacity(lanes);
    loop {
        active.clear();
        active.extend((0..from.len()).filter(|&i| position[i] < to[i]));
        if active.is_empty() {
            return;
        }
        for group in active.chunks(lanes) {
            at.clear();
            at.extend(group.iter().map(|&i| position[i]));
            step(group, &at);
            for &i in group {
                position[i] += 1;
            }
        }
    }
}
