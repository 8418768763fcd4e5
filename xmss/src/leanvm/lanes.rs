//! BLAKE2s-256 (RFC 7693) on `N` independent lanes, in safe Rust whose lane loops the compiler turns into
//! vector instructions: [`LANES`] is sixteen where AVX-512 is compiled in (one 32-bit word of every lane
//! is one register) and eight otherwise (AVX2); one lane is the scalar function, which verification uses
//! for its sequential leaf and path hashes.
//!
//! Generalized XMSS makes many short independent calls (a chain step is one 48-byte block), which the
//! `blake2` crate can only run one after another; here they run side by side, word `i` of lane `l` at
//! `state[i][l]`, as `byte_xmss/blake3_x8.rs` does for BLAKE3. Every call of the leanVM back-end is one or
//! more [`compress`] calls on blocks already in word form: a chain step's output words are the next step's
//! input words, so a walk never goes through bytes. The `blake2` crate is the reference: the tests compare
//! every shape with it.

use crate::arx_lanes::{Word, round, rounds};

/// The lanes of the batched calls: one AVX-512 register of 32-bit words, or one AVX2 register.
pub(crate) const LANES: usize = if cfg!(target_feature = "avx512f") { 16 } else { 8 };

/// A chaining value of every lane.
pub(crate) type State<const N: usize> = [Word<N>; 8];
/// A 64-byte block of every lane, as sixteen little-endian words.
pub(crate) type Block<const N: usize> = [Word<N>; 16];
/// A 16-byte node (digest, chain value, parameter) of every lane, as four little-endian words.
pub(crate) type NodeWords<const N: usize> = [Word<N>; 4];

pub(super) const IV: [u32; 8] =
    [0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19];

pub(super) const SIGMA: [[usize; 16]; 10] = [
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

/// `x` in every lane.
#[inline(always)]
pub(crate) fn splat<const N: usize>(x: u32) -> Word<N> {
    [x; N]
}

/// The chaining value before the first block, in every lane: unkeyed (`key_len` 0) or keyed, with a
/// 32-byte digest.
#[inline]
pub(crate) fn initial<const N: usize>(key_len: u32) -> State<N> {
    let mut h = IV.map(splat);
    h[0] = splat(IV[0] ^ 0x0101_0020 ^ (key_len << 8));
    h
}

/// Compresses one block per lane. `counter` is the number of bytes hashed so far including this block
/// (equal in every lane); `last` marks the final block.
#[inline]
pub(crate) fn compress<const N: usize>(h: &mut State<N>, m: &Block<N>, counter: u64, last: bool) {
    // Whole registers where the build has them (`lanes_simd`): sixteen lanes with AVX-512, eight with AVX2.
    // The downcasts are checks of `N` that the compiler folds away.
    #[cfg(all(target_arch = "x86_64", target_feature = "avx2"))]
    {
        use core::any::Any;
        let (h_any, m_any): (&mut dyn Any, &dyn Any) = (h, m);
        #[cfg(target_feature = "avx512f")]
        if let (Some(h), Some(m)) = (h_any.downcast_mut::<State<16>>(), m_any.downcast_ref::<Block<16>>()) {
            return super::lanes_simd::compress16(h, m, counter, last);
        }
        if let (Some(h), Some(m)) = (h_any.downcast_mut::<State<8>>(), m_any.downcast_ref::<Block<8>>()) {
            return super::lanes_simd::compress8(h, m, counter, last);
        }
    }
    let mut v: [Word<N>; 16] = core::array::from_fn(|i| if i < 8 { h[i] } else { splat(IV[i - 8]) });
    v[12] = splat(IV[4] ^ counter as u32);
    v[13] = splat(IV[5] ^ (counter >> 32) as u32);
    if last {
        v[14] = splat(!IV[6]);
    }
    // One lane runs unrolled, every message index a constant (2.5x faster than a loop). Wider lanes loop
    // over the rounds with the state in named words (`rounds`): unrolled, the compiler stops vectorizing
    // the lane loops (measured on AVX-512: 760 ns per lane-compression at 16 lanes).
    macro_rules! unrolled {
        ($($r:literal)*) => { $(round(&mut v, m, &SIGMA[$r]);)* };
    }
    if N == 1 {
        unrolled!(0 1 2 3 4 5 6 7 8 9);
    } else {
        rounds(&mut v, m, &SIGMA);
    }
    for i in 0..8 {
        h[i] = core::array::from_fn(|l| h[i][l] ^ v[i][l] ^ v[i + 8][l]);
    }
    // The working state of a keyed call holds key material. A `black_box`-guarded fill, not `zeroize`'s
    // element-wise volatile stores, which would cost more than the compression (see `field::wipe`).
    crate::field::wipe(v.as_flattened_mut(), 0);
}

/// The digest of a whole unkeyed message of `counter` bytes in one block (`m`'s words from `WORDS` on must
/// be zero), into `out`: [`compress`] from [`initial`]`(0)` as the last block, cut to 16 bytes. In
/// registers the initial state and the zero words are constants the compiler folds into the rounds, and
/// the last round's work for the dropped half of the state goes away (chain steps and tree nodes of batch
/// verification). It writes the caller's words in place and takes no chaining value: a returned value or
/// an initial state in memory cost two copies of the digest per call (about 3% of batch verification).
#[inline]
pub(crate) fn compress_fresh<const N: usize, const WORDS: usize>(
    m: &Block<N>,
    counter: u64,
    out: &mut NodeWords<N>,
) {
    #[cfg(all(target_arch = "x86_64", target_feature = "avx2"))]
    {
        use core::any::Any;
        let (m_any, out_any): (&dyn Any, &mut dyn Any) = (m, out);
        #[cfg(target_feature = "avx512f")]
        if let (Some(m16), Some(out16)) = (m_any.downcast_ref::<Block<16>>(), out_any.downcast_mut()) {
            return super::lanes_simd::compress16_fresh::<WORDS>(m16, counter, out16);
        }
        if let (Some(m8), Some(out8)) = (m_any.downcast_ref::<Block<8>>(), out_any.downcast_mut()) {
            return super::lanes_simd::compress8_fresh::<WORDS>(m8, counter, out8);
        }
    }
    let mut h = initial::<N>(0);
    compress(&mut h, m, counter, true);
    *out = digest(&h);
}

/// The digest after the last block `m` from chaining value `h` (`m`'s words from `WORDS` on must be zero):
/// [`compress`] as the last block, cut to 16 bytes. On AVX2's eight lanes the zero words are constants
/// (the 24-byte randomness block of signing's grind has ten: a hundred adds of the ten rounds go away) and
/// the last round's work for the dropped half goes away; sixteen AVX-512 lanes, which have registers to
/// spare, keep the general compression. Into `out`, as [`compress_fresh`].
#[inline]
pub(crate) fn compress_last<const N: usize, const WORDS: usize>(
    h: &State<N>,
    m: &Block<N>,
    counter: u64,
    out: &mut NodeWords<N>,
) {
    #[cfg(all(target_arch = "x86_64", target_feature = "avx2"))]
    {
        use core::any::Any;
        let (h_any, m_any, out_any): (&dyn Any, &dyn Any, &mut dyn Any) = (h, m, out);
        if let (Some(h8), Some(m8), Some(out8)) =
            (h_any.downcast_ref::<State<8>>(), m_any.downcast_ref::<Block<8>>(), out_any.downcast_mut())
        {
            return super::lanes_simd::compress8_last::<WORDS>(h8, m8, counter, out8);
        }
    }
    let mut h = *h;
    compress(&mut h, m, counter, true);
    *out = digest(&h);
}

/// The little-endian words of a 16-byte node.
#[inline(always)]
pub(crate) fn words(node: &[u8; 16]) -> [u32; 4] {
    core::array::from_fn(|i| {
        u32::from_le_bytes([node[4 * i], node[4 * i + 1], node[4 * i + 2], node[4 * i + 3]])
    })
}

/// The 16-byte node of four little-endian words.
#[inline(always)]
pub(crate) fn node(words: &[u32; 4]) -> [u8; 16] {
    let mut out = [0u8; 16];
    for (chunk, w) in out.chunks_exact_mut(4).zip(words) {
        chunk.copy_from_slice(&w.to_le_bytes());
    }
    out
}

/// Lane `l`'s four words of a node in word form.
#[inline(always)]
pub(crate) fn lane<const N: usize>(x: &NodeWords<N>, l: usize) -> [u32; 4] {
    core::array::from_fn(|i| x[i][l])
}

/// The first 16 bytes of every lane's digest (leanVM truncates BLAKE2s-256 to 16) in word form.
#[inline(always)]
pub(crate) fn digest<const N: usize>(h: &State<N>) -> NodeWords<N> {
    [h[0], h[1], h[2], h[3]]
}

/// The chaining value of keyed BLAKE2s-256 under `key` after its key block, in every lane: a PRF call
/// on a short input then costs one compression.
pub(crate) fn keyed<const N: usize>(key: &[u8; 32]) -> State<N> {
    let mut h = initial(32);
    let mut m: Block<N> = [splat(0); 16];
    for (i, w) in m.iter_mut().take(8).enumerate() {
        *w = splat(u32::from_le_bytes([key[4 * i], key[4 * i + 1], key[4 * i + 2], key[4 * i + 3]]));
    }
    compress(&mut h, &m, 64, false);
    crate::field::wipe(m.as_flattened_mut(), 0);
    h
}

/// Unkeyed BLAKE2s-256 of `len` bytes whose little-endian word `j` is `word(lane, j)` (words past `len`
/// must be zero), cut to 16 bytes, in every lane: the general driver the tests compare [`compress`] with the
/// crate through, at every length and block boundary.
#[cfg(test)]
pub(crate) fn hash_words<const N: usize>(
    len: usize,
    mut word: impl FnMut(usize, usize) -> u32,
) -> NodeWords<N> {
    let mut h = initial(0);
    let blocks = len.div_ceil(64).max(1);
    for k in 0..blocks {
        let m: Block<N> = core::array::from_fn(|i| core::array::from_fn(|l| word(l, 16 * k + i)));
        let counter = if k + 1 == blocks { len as u64 } else { 64 * (k as u64 + 1) };
        compress(&mut h, &m, counter, k + 1 == blocks);
    }
    digest(&h)
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

    fn word_of(message: &[u8], j: usize) -> u32 {
        u32::from_le_bytes(core::array::from_fn(|k| message.get(4 * j + k).copied().unwrap_or(0)))
    }

    proptest! {
        /// Every length the back-end uses, and the block boundaries around them, against the crate, on the
        /// batch width, on eight lanes (AVX2 registers where built with AVX2, even on AVX-512 builds) and on
        /// one lane.
        #[test]
        fn unkeyed_lanes_equal_the_crate(seed in any::<u64>(), len in prop::sample::select(vec![0usize, 1, 20, 48, 63, 64, 65, 96, 128, 704])) {
            let messages: Vec<Vec<u8>> = (0..LANES)
                .map(|l| (0..len).map(|i| (seed.wrapping_mul(31 + l as u64) >> (i % 56)) as u8 ^ i as u8).collect())
                .collect();
            let got = hash_words::<LANES>(len, |l, j| word_of(&messages[l], j));
            let eight = hash_words::<8>(len, |l, j| word_of(&messages[l % LANES], j));
            for (l, message) in messages.iter().enumerate() {
                prop_assert_eq!(node(&lane(&got, l)), reference(message));
                if l < 8 {
                    prop_assert_eq!(node(&lane(&eight, l)), reference(message));
                }
                let one = hash_words::<1>(len, |_, j| word_of(message, j));
                prop_assert_eq!(node(&lane(&one, 0)), reference(message));
            }
        }

        /// A one-block PRF call from the keyed chaining value equals keyed BLAKE2s.
        #[test]
        fn keyed_lanes_equal_the_crate(key in proptest::array::uniform32(any::<u8>()), a in any::<u64>()) {
            let mut h = keyed::<LANES>(&key);
            let inputs: [[u8; 20]; LANES] = core::array::from_fn(|l| prf_input(1000 + l as u32, a, l as u64));
            let m: Block<LANES> = core::array::from_fn(|i| core::array::from_fn(|l| word_of(&inputs[l], i)));
            compress(&mut h, &m, 64 + 20, true);
            let got = digest(&h);
            for (l, input) in inputs.iter().enumerate() {
                let full = keyed_reference(&key, &[input]);
                prop_assert_eq!(&node(&lane(&got, l))[..], &full[..16]);
            }
        }

        /// The fresh one-block compression (registers with constant state and zero words where built with
        /// them) equals the general one from the initial state, on the batch width and on eight lanes.
        #[test]
        fn fresh_compression_equals_the_general_one(seed in any::<u32>(), counter in 1u64..=64) {
            fn check<const N: usize, const WORDS: usize>(seed: u32, counter: u64) -> bool {
                let m: Block<N> = core::array::from_fn(|i| {
                    core::array::from_fn(|l| if i < WORDS { seed.rotate_left((i * N + l) as u32) ^ i as u32 } else { 0 })
                });
                let mut h = initial::<N>(0);
                let from = h;
                compress(&mut h, &m, counter, true);
                let (mut fresh, mut last) = ([[0; N]; 4], [[0; N]; 4]);
                compress_fresh::<N, WORDS>(&m, counter, &mut fresh);
                compress_last::<N, WORDS>(&from, &m, counter, &mut last);
                fresh == digest(&h) && last == digest(&h)
            }
            prop_assert!(check::<LANES, 12>(seed, counter) && check::<LANES, 16>(seed, counter));
            prop_assert!(check::<8, 12>(seed, counter) && check::<8, 16>(seed, counter));
        }

        /// Words and bytes of a node convert both ways.
        #[test]
        fn node_words_round_trip(n in proptest::array::uniform16(any::<u8>())) {
            prop_assert_eq!(node(&words(&n)), n);
        }
    }
}
