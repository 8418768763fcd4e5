//! The BLAKE3 back-end: BLAKE3 for the tweakable and message hashes, keyed BLAKE3 for the PRF.
//!
//! A chain step (`parameter ‖ tweak ‖ value`, 58 bytes) is a single BLAKE3 compression; a tree node
//! (90 bytes) is two. BLAKE3's compression is a 7-round function on a 64-byte block, several times cheaper
//! than a Keccak-f\[1600\] permutation per byte hashed, which is why this back-end is the fastest.

use crate::byte_xmss::blake3_x8::hash_x8;
use crate::byte_xmss::hash::{BATCH, ByteHash, Digest, PRF_KEY_LEN};

const CHUNK_LEN: usize = 1024;
const BLOCK_LEN: usize = 64;

/// Domain separation of the PRF (keyed BLAKE3 under the PRF key).
const PRF_DOMAIN: &[u8; 16] = b"ndvt/bxmss/prf/1";

/// BLAKE3 tweakable hash and keyed-BLAKE3 PRF.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Blake3;

/// Compressions BLAKE3 spends on `len` bytes: every 64-byte block of every 1024-byte chunk (at least one),
/// plus one parent compression per merge of two subtrees.
fn compressions(len: usize) -> u64 {
    let chunks = len.div_ceil(CHUNK_LEN).max(1);
    let full_chunks_blocks = (chunks - 1) * (CHUNK_LEN / BLOCK_LEN);
    let last = len - (chunks - 1) * CHUNK_LEN;
    (full_chunks_blocks + last.div_ceil(BLOCK_LEN).max(1) + (chunks - 1)) as u64
}

impl ByteHash for Blake3 {
    const NAME: &'static str = "blake3";
    const PRIMITIVE: &'static str = "BLAKE3 (tweakable and message hash), keyed BLAKE3 (PRF)";
    const LANE_PARALLEL: bool = true;

    fn digest(input: &[u8]) -> Digest {
        *blake3::hash(input).as_bytes()
    }

    fn blocks(len: usize) -> u64 {
        compressions(len)
    }

    fn digest_x8(inputs: [&[u8]; BATCH]) -> [Digest; BATCH] {
        hash_x8(inputs, None).unwrap_or_else(|| inputs.map(Self::digest))
    }

    fn prf_x8(key: &[u8; PRF_KEY_LEN], inputs: [&[u8]; BATCH]) -> [[u8; 32]; BATCH] {
        let mut bufs = [[0u8; 128]; BATCH];
        let n = PRF_DOMAIN.len() + inputs[0].len();
        if n > 128 || inputs.iter().any(|i| i.len() != inputs[0].len()) {
            return inputs.map(|i| Self::prf(key, i));
        }
        for (buf, input) in bufs.iter_mut().zip(inputs) {
            buf[..PRF_DOMAIN.len()].copy_from_slice(PRF_DOMAIN);
            buf[PRF_DOMAIN.len()..n].copy_from_slice(input);
        }
        hash_x8(core::array::from_fn(|l| &bufs[l][..n]), Some(key))
            .unwrap_or_else(|| inputs.map(|i| Self::prf(key, i)))
    }

    fn prf(key: &[u8; PRF_KEY_LEN], input: &[u8]) -> [u8; 32] {
        // The one-shot function skips the incremental hasher's setup; PRF inputs are short and public.
        let mut buf = [0u8; 128];
        let n = PRF_DOMAIN.len() + input.len();
        if n <= buf.len() {
            buf[..PRF_DOMAIN.len()].copy_from_slice(PRF_DOMAIN);
            buf[PRF_DOMAIN.len()..n].copy_from_slice(input);
            return *blake3::keyed_hash(key, &buf[..n]).as_bytes();
        }
        let mut h = blake3::Hasher::new_keyed(key);
        h.update(PRF_DOMAIN);
        h.update(input);
        *h.finalize().as_bytes()
    }

    fn prf_blocks(len: usize) -> u64 {
        compressions(PRF_DOMAIN.len() + len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_counts() {
        assert_eq!(compressions(0), 1);
        assert_eq!(compressions(58), 1);
        assert_eq!(compressions(90), 2);
        assert_eq!(compressions(1024), 16);
        assert_eq!(compressions(1025), 16 + 1 + 1);
        assert_eq!(compressions(18 + 8 + 48 * 32), 16 + 9 + 1);
    }
}
