//! BLAKE2s-256 (RFC 7693) on eight independent lanes, in safe Rust whose lane loops the compiler turns
//! into vector instructions (eight 32-bit lanes are one AVX2 register; AVX-512 holds two such states).
//!
//! Generalized XMSS makes many short independent calls (a chain step is one 48-byte block), which the
//! `blake2` crate can only run one after another; here eight run side by side, word `i` of lane `l` at
//! `state[i][l]`, as `byte_xmss/blake3_x8.rs` does for BLAKE3. Every call shape of the leanVM back-end is
//! built from [`compress`]: one block for chain steps, nodes and PRF calls (from a chaining value that has
//! already absorbed the key), eleven for a leaf, one per signing attempt from a midstate that has absorbed
//! the message encoding's first block. The `blake2` crate is the reference: the tests compare every shape.

use crate::arx_lanes::round;
pub(crate) use crate::arx_lanes::{LANES, Word};

/// A chaining value of every lane.
pub(crate) type Lanes = [Word; 8];

const IV: [u32; 8] =
    [0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19];

const SIGMA: [[usize; 16]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

/// The chaining value before the first block, in every lane: unkeyed (`key_len` 0) or keyed.
pub(crate) fn initial(key_len: u32) -> Lanes {
    let mut h = IV.map(|w| [w; LANES]);
    h[0] = [IV[0] ^ 0x0101_0020 ^ (key_len << 8); LANES];
    h
}

/// Compresses one 64-byte block per lane. `counter` is the number of bytes hashed so far including this
/// block (equal in every lane); `last` marks the final block.
#[inline]
pub(crate) fn compress(h: &mut Lanes, m: &[Word; 16], counter: u64, last: bool) {
    let splat = |x: u32| [x; LANES];
    let mut v: [Word; 16] = core::array::from_fn(|i| if i < 8 { h[i] } else { splat(IV[i - 8]) });
    v[12] = core::array::from_fn(|l| v[12][l] ^ counter as u32);
    v[13] = core::array::from_fn(|l| v[13][l] ^ (counter >> 32) as u32);
    if last {
        v[14] = core::array::from_fn(|l| !v[14][l]);
    }
    for s in &SIGMA {
        round(&mut v, m, s);
    }
    for i in 0..8 {
        h[i] = core::array::from_fn(|l| h[i][l] ^ v[i][l] ^ v[i + 8][l]);
    }
    // The working state of a keyed call holds key material. A `black_box`-guarded fill, not `zeroize`'s
    // element-wise volatile stores, which would cost more than the compression (see `field::wipe`).
    crate::field::wipe(v.as_flattened_mut(), 0);
}

/// Block words of every lane from `fill(lane, block)`, which writes the lane's 64 bytes (zero-initialised).
#[inline]
pub(crate) fn block(mut fill: impl FnMut(usize, &mut [u8; 64])) -> [Word; 16] {
    let mut bytes = [[0u8; 64]; LANES];
    for (l, b) in bytes.iter_mut().enumerate() {
        fill(l, b);
    }
    let m = core::array::from_fn(|i| {
        core::array::from_fn(|l| u32::from_le_bytes(core::array::from_fn(|k| bytes[l][4 * i + k])))
    });
    crate::field::wipe(bytes.as_flattened_mut(), 0); // PRF and chain-start blocks are secret
    m
}

/// The first 16 bytes of every lane's digest (leanVM truncates BLAKE2s-256 to 16).
#[inline]
pub(crate) fn digest16(h: &Lanes) -> [[u8; 16]; LANES] {
    core::array::from_fn(|l| {
        let mut out = [0u8; 16];
        for (i, chunk) in out.chunks_exact_mut(4).enumerate() {
            chunk.copy_from_slice(&h[i][l].to_le_bytes());
        }
        out
    })
}

/// The chaining value of keyed BLAKE2s-256 under `key` after its key block, in every lane: a PRF call
/// on a short input then costs one compression.
pub(crate) fn keyed(key: &[u8; 32]) -> Lanes {
    let mut h = initial(32);
    let m = block(|_, b| b[..32].copy_from_slice(key));
    compress(&mut h, &m, 64, false);
    h
}

/// Unkeyed BLAKE2s-256, truncated to 16 bytes, of messages of one length `len`: `fill(lane, offset, block)`
/// writes bytes `offset..offset + 64` of the lane's message into the (zeroed) block.
pub(crate) fn hash16(len: usize, mut fill: impl FnMut(usize, usize, &mut [u8; 64])) -> [[u8; 16]; LANES] {
    let mut h = initial(0);
    let blocks = len.div_ceil(64).max(1);
    for k in 0..blocks {
        let m = block(|l, b| fill(l, 64 * k, b));
        let counter = if k + 1 == blocks { len as u64 } else { 64 * (k as u64 + 1) };
        compress(&mut h, &m, counter, k + 1 == blocks);
    }
    digest16(&h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leanvm::hash::{keyed as keyed_reference, prf_input};
    use blake2::{Blake2s256, Digest};
    use proptest::prelude::*;

    fn reference(message: &[u8]) -> [u8; 16] {
        let full: [u8; 32] = Blake2s256::digest(message).into();
        core::array::from_fn(|i| full[i])
    }

    proptest! {
        /// Every length the back-end uses, and the block boundaries around them, against the crate.
        #[test]
        fn unkeyed_lanes_equal_the_crate(seed in any::<u64>(), len in prop::sample::select(vec![0usize, 1, 20, 48, 63, 64, 65, 96, 128, 704])) {
            let messages: Vec<Vec<u8>> = (0..LANES)
                .map(|l| (0..len).map(|i| (seed.wrapping_mul(31 + l as u64) >> (i % 56)) as u8 ^ i as u8).collect())
                .collect();
            let got = hash16(len, |l, offset, b| {
                let end = (offset + 64).min(len);
                b[..end - offset].copy_from_slice(&messages[l][offset..end]);
            });
            for l in 0..LANES {
                prop_assert_eq!(got[l], reference(&messages[l]));
            }
        }

        /// A one-block PRF call from the keyed chaining value equals keyed BLAKE2s.
        #[test]
        fn keyed_lanes_equal_the_crate(key in proptest::array::uniform32(any::<u8>()), a in any::<u64>()) {
            let mut h = keyed(&key);
            let inputs: [[u8; 20]; LANES] = core::array::from_fn(|l| prf_input(1000 + l as u32, a, l as u64));
            let m = block(|l, b| b[..20].copy_from_slice(&inputs[l]));
            compress(&mut h, &m, 64 + 20, true);
            let got = digest16(&h);
            for l in 0..LANES {
                let full = keyed_reference(&key, &[&inputs[l]]);
                prop_assert_eq!(&got[l][..], &full[..16]);
            }
        }
    }
}
