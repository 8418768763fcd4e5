//! The byte-oriented tweakable hash: `H(parameter ‖ tweak ‖ data)` with a 32-byte output.
//!
//! Every call carries a tweak that is unique within a key (chain position, tree node or message epoch), so
//! a preimage or second-preimage search against one key attacks one target per call, not all of them at
//! once: this is what lets generalized XMSS keep its output length independent of the number of hashes in
//! a key. The back-ends differ only in the primitive that hashes the byte string.

use crate::byte_xmss::counter;
use crate::keccak_x8::LANES;

/// Bytes of a tweakable-hash output (chain values, tree nodes, the public key root).
pub const DIGEST_LEN: usize = 32;
/// Bytes of the public hash parameter.
pub const PARAMETER_LEN: usize = 18;
/// Bytes of an encoded tweak.
pub const TWEAK_LEN: usize = 8;
/// Bytes of the signing randomness rho.
pub const RHO_LEN: usize = 24;
/// Bytes of the message-hash output that become codeword digits (144 bits).
pub const MESSAGE_HASH_LEN: usize = 18;
/// Bytes of the PRF key (the only secret of a key).
pub use crate::secret_key::PRF_KEY_LEN;
/// How many inputs the batched calls take at once.
pub const BATCH: usize = LANES;

/// A tweakable-hash output.
pub type Digest = [u8; DIGEST_LEN];
/// The public hash parameter of a key.
pub type Parameter = [u8; PARAMETER_LEN];
/// The signing randomness.
pub type Rho = [u8; RHO_LEN];

/// Which hash call a tweak belongs to; the encodings of different kinds never collide (first byte).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tweak {
    /// Step `position` (1..w-1) of chain `chain` at `epoch`.
    Chain {
        /// The epoch.
        epoch: u32,
        /// The chain index (< 256).
        chain: u8,
        /// The position reached by this step.
        position: u8,
    },
    /// Tree node at `level` (0 for leaves) and `position` within the level.
    Tree {
        /// The level, 0 for leaves.
        level: u8,
        /// The position within the level.
        position: u32,
    },
    /// The message hash at `epoch`.
    Message {
        /// The epoch.
        epoch: u32,
    },
}

impl Tweak {
    /// The 8-byte encoding: a kind byte, then the fields big-endian, zero-padded.
    pub fn to_bytes(self) -> [u8; TWEAK_LEN] {
        let mut out = [0u8; TWEAK_LEN];
        match self {
            Tweak::Chain { epoch, chain, position } => {
                out[0] = 0x00;
                out[1..5].copy_from_slice(&epoch.to_be_bytes());
                out[5] = chain;
                out[6] = position;
            }
            Tweak::Tree { level, position } => {
                out[0] = 0x01;
                out[1] = level;
                out[2..6].copy_from_slice(&position.to_be_bytes());
            }
            Tweak::Message { epoch } => {
                out[0] = 0x02;
                out[1..5].copy_from_slice(&epoch.to_be_bytes());
            }
        }
        out
    }
}

/// A byte hash primitive that [`crate::byte_xmss::Bytes`] turns into a generalized-XMSS back-end.
/// Implemented by [`crate::byte_xmss::Sha3`] and [`crate::byte_xmss::Blake3`] (see docs/HASH-BACKENDS.md).
pub trait ByteHash: Copy + Default + Eq + core::fmt::Debug + Send + Sync + 'static {
    /// Family name used in reports: `sha3` or `blake3`.
    const NAME: &'static str;
    /// The primitive in full, for documentation and reports.
    const PRIMITIVE: &'static str;

    /// The 32-byte hash of `input` (no counting; use [`tweak_hash`]).
    fn digest(input: &[u8]) -> Digest;

    /// Compression-function or permutation calls that hashing `len` bytes costs.
    fn blocks(len: usize) -> u64;

    /// Whether [`ByteHash::digest_x8`] and [`ByteHash::prf_x8`] run eight lanes for about the price
    /// of three single calls, so that partly filled batches are worth padding.
    const LANE_PARALLEL: bool = false;

    /// [`ByteHash::digest`] of eight inputs of equal, short length. Back-ends with a lane-parallel
    /// primitive override it.
    fn digest_x8(inputs: [&[u8]; BATCH]) -> [Digest; BATCH] {
        inputs.map(Self::digest)
    }

    /// The PRF: 32 pseudorandom bytes from the secret `key` and a public `input`.
    fn prf(key: &[u8; PRF_KEY_LEN], input: &[u8]) -> [u8; 32];

    /// Blocks one PRF call on `len` input bytes costs.
    fn prf_blocks(len: usize) -> u64;

    /// [`ByteHash::prf`] of eight inputs.
    fn prf_x8(key: &[u8; PRF_KEY_LEN], inputs: [&[u8]; BATCH]) -> [[u8; 32]; BATCH] {
        inputs.map(|i| Self::prf(key, i))
    }
}

/// Longest input assembled on the stack (tree nodes, chain steps, message hashes); leaves use the heap.
const SMALL: usize = 128;

/// `H(parameter ‖ tweak ‖ data)`, counted.
pub fn tweak_hash<H: ByteHash>(parameter: &Parameter, tweak: Tweak, data: &[&[u8]]) -> Digest {
    let len = PARAMETER_LEN + TWEAK_LEN + data.iter().map(|d| d.len()).sum::<usize>();
    counter::record(1, H::blocks(len));
    if len <= SMALL {
        let mut buf = [0u8; SMALL];
        let n = assemble(&mut buf, parameter, tweak, data);
        H::digest(&buf[..n])
    } else {
        let mut buf = vec![0u8; len];
        let n = assemble(&mut buf, parameter, tweak, data);
        H::digest(&buf[..n])
    }
}

/// Eight [`tweak_hash`] calls with equal-length inputs at once. Only the first `used` lanes are counted:
/// callers fill unused lanes with copies. (Inputs over 128 bytes fall back to single calls, all counted.)
pub fn tweak_hash_x8<H: ByteHash>(
    parameter: &Parameter,
    tweaks: [Tweak; BATCH],
    data: [[&[u8]; 2]; BATCH],
    used: usize,
) -> [Digest; BATCH] {
    let too_long = data.iter().any(|d| PARAMETER_LEN + TWEAK_LEN + d[0].len() + d[1].len() > SMALL);
    if too_long {
        // Not reached by the scheme (its batched inputs are at most 90 bytes); correct rather than truncate.
        let out = core::array::from_fn(|l| tweak_hash::<H>(parameter, tweaks[l], &data[l]));
        return out;
    }
    let mut bufs = [[0u8; SMALL]; BATCH];
    let mut lens = [0usize; BATCH];
    for l in 0..BATCH {
        lens[l] = assemble(&mut bufs[l], parameter, tweaks[l], &data[l]);
    }
    counter::record(used as u64, used as u64 * H::blocks(lens[0]));
    H::digest_x8(core::array::from_fn(|l| &bufs[l][..lens[l]]))
}

/// Writes `parameter ‖ tweak ‖ data` into `buf` (truncating at its end, which callers size to fit).
fn assemble(buf: &mut [u8], parameter: &Parameter, tweak: Tweak, data: &[&[u8]]) -> usize {
    let mut n = 0;
    for part in [&parameter[..], &tweak.to_bytes()[..]].into_iter().chain(data.iter().copied()) {
        let take = part.len().min(buf.len() - n);
        buf[n..n + take].copy_from_slice(&part[..take]);
        n += take;
    }
    n
}

/// The PRF, counted.
pub fn prf<H: ByteHash>(key: &[u8; PRF_KEY_LEN], input: &[u8]) -> [u8; 32] {
    counter::record(1, H::prf_blocks(input.len()));
    H::prf(key, input)
}

/// Eight PRF calls with equal-length inputs; only the first `used` are counted.
pub fn prf_x8<H: ByteHash>(
    key: &[u8; PRF_KEY_LEN],
    inputs: [&[u8]; BATCH],
    used: usize,
) -> [[u8; 32]; BATCH] {
    counter::record(used as u64, used as u64 * H::prf_blocks(inputs[0].len()));
    H::prf_x8(key, inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tweak_kinds_never_collide() {
        let chain = Tweak::Chain { epoch: 1, chain: 2, position: 3 }.to_bytes();
        let tree = Tweak::Tree { level: 1, position: 0x0200_0300 }.to_bytes();
        let message = Tweak::Message { epoch: 1 }.to_bytes();
        assert_eq!(chain, [0, 0, 0, 0, 1, 2, 3, 0]);
        assert_eq!(tree, [1, 1, 2, 0, 3, 0, 0, 0]);
        assert_eq!(message, [2, 0, 0, 0, 1, 0, 0, 0]);
    }

    #[test]
    fn batched_calls_equal_single_calls_even_when_long() {
        use crate::byte_xmss::{Blake3, Sha3};
        let parameter = [1u8; PARAMETER_LEN];
        let long = [7u8; 150];
        for len in [32, 64, 150] {
            let tweaks = core::array::from_fn(|l| Tweak::Tree { level: 3, position: l as u32 });
            let data: [[&[u8]; 2]; BATCH] = core::array::from_fn(|_| [&long[..len], &[][..]]);
            let sha = tweak_hash_x8::<Sha3>(&parameter, tweaks, data, BATCH);
            let blake = tweak_hash_x8::<Blake3>(&parameter, tweaks, data, BATCH);
            for l in 0..BATCH {
                assert_eq!(sha[l], tweak_hash::<Sha3>(&parameter, tweaks[l], &data[l]));
                assert_eq!(blake[l], tweak_hash::<Blake3>(&parameter, tweaks[l], &data[l]));
            }
        }
    }

    #[test]
    fn assemble_concatenates() {
        let mut buf = [0u8; 64];
        let n = assemble(&mut buf, &[9; PARAMETER_LEN], Tweak::Message { epoch: 5 }, &[&[1, 2], &[3]]);
        assert_eq!(n, PARAMETER_LEN + TWEAK_LEN + 3);
        assert_eq!(&buf[PARAMETER_LEN + TWEAK_LEN..n], &[1, 2, 3]);
        assert_eq!(buf[PARAMETER_LEN + 4], 5);
    }
}
