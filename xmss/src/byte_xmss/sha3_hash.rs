//! The SHA-3 back-end (FIPS 202): SHA3-256 for the tweakable and message hashes, SHAKE128 for the PRF.
//!
//! Every tweakable-hash input but a leaf fits one SHA3-256 block (136 bytes), so eight independent calls
//! run as one lane-parallel Keccak-f\[1600\] (`keccak_x8`), which is how chains are walked at key generation
//! and verification. The `sha3` crate computes single and multi-block calls and is the reference the tests
//! compare the lane-parallel code with.

use sha3::digest::{Digest as _, ExtendableOutput, Update, XofReader};
use sha3::{Sha3_256, Shake128};

use crate::byte_xmss::hash::{BATCH, ByteHash, Digest, PRF_KEY_LEN};
use crate::keccak_x8::{RATE as SHAKE128_RATE, SHA3_256_RATE, sha3_256_one_block, shake128_one_block};

/// Domain separation of the PRF from every other SHAKE128 use in ndvt.
const PRF_DOMAIN: &[u8; 16] = b"ndvt/bxmss/prf/1";

/// SHA3-256 tweakable hash, SHAKE128 PRF.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sha3;

impl ByteHash for Sha3 {
    const NAME: &'static str = "sha3";
    const PRIMITIVE: &'static str = "SHA3-256 (tweakable and message hash), SHAKE128 (PRF)";
    const LANE_PARALLEL: bool = true;

    fn digest(input: &[u8]) -> Digest {
        Sha3_256::digest(input).into()
    }

    fn blocks(len: usize) -> u64 {
        (len / SHA3_256_RATE + 1) as u64
    }

    fn digest_x8(inputs: [&[u8]; BATCH]) -> [Digest; BATCH] {
        if inputs.iter().all(|i| i.len() < SHA3_256_RATE) {
            sha3_256_one_block(inputs)
        } else {
            inputs.map(Self::digest)
        }
    }

    fn prf(key: &[u8; PRF_KEY_LEN], input: &[u8]) -> [u8; 32] {
        let mut h = Shake128::default();
        h.update(PRF_DOMAIN);
        h.update(key);
        h.update(input);
        let mut out = [0u8; 32];
        h.finalize_xof().read(&mut out);
        out
    }

    fn prf_blocks(len: usize) -> u64 {
        ((PRF_DOMAIN.len() + PRF_KEY_LEN + len) / SHAKE128_RATE + 1) as u64
    }

    fn prf_x8(key: &[u8; PRF_KEY_LEN], inputs: [&[u8]; BATCH]) -> [[u8; 32]; BATCH] {
        const MAX: usize = SHAKE128_RATE - 1;
        let prefix = PRF_DOMAIN.len() + PRF_KEY_LEN;
        if inputs.iter().any(|i| prefix + i.len() > MAX) {
            return inputs.map(|i| Self::prf(key, i));
        }
        let mut bufs = [[0u8; MAX]; BATCH];
        for (buf, input) in bufs.iter_mut().zip(inputs) {
            buf[..16].copy_from_slice(PRF_DOMAIN);
            buf[16..prefix].copy_from_slice(key);
            buf[prefix..prefix + input.len()].copy_from_slice(input);
        }
        let blocks = shake128_one_block(core::array::from_fn(|l| &bufs[l][..prefix + inputs[l].len()]));
        let out = blocks.map(|b| core::array::from_fn(|i| b[i]));
        zeroize::Zeroize::zeroize(bufs.as_flattened_mut());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_parallel_calls_match_single_calls() {
        let data: Vec<u8> = (0..200u32).map(|i| (i * 31 + 3) as u8).collect();
        for len in [0, 1, 58, 90, 135, 150] {
            let inputs: [&[u8]; BATCH] = core::array::from_fn(|l| &data[l..l + len]);
            let batch = Sha3::digest_x8(inputs);
            for l in 0..BATCH {
                assert_eq!(batch[l], Sha3::digest(inputs[l]), "len {len} lane {l}");
            }
            let key = [0x33; 32];
            let prfs = Sha3::prf_x8(&key, inputs);
            for l in 0..BATCH {
                assert_eq!(prfs[l], Sha3::prf(&key, inputs[l]), "prf len {len} lane {l}");
            }
        }
    }

    #[test]
    fn block_counts_follow_the_rate() {
        assert_eq!(Sha3::blocks(0), 1);
        assert_eq!(Sha3::blocks(135), 1);
        assert_eq!(Sha3::blocks(136), 2);
        assert_eq!(Sha3::prf_blocks(119), 1);
        assert_eq!(Sha3::prf_blocks(120), 2);
    }
}
