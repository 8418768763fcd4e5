//! Eight BLAKE3 hashes at once, for equal-length inputs of one chunk (at most 1024 bytes).
//!
//! The `blake3` crate vectorises across the chunks of one long input; generalized XMSS instead makes many
//! independent short calls (a chain step is one 58-byte block). Here eight such calls run side by side,
//! word `i` of call `l` at `state[i][l]`, in plain safe Rust whose lane loops the compiler turns into
//! vector instructions. The `blake3` crate stays the reference: the tests compare every output with it.

pub(crate) use crate::arx_lanes::LANES;
use crate::arx_lanes::{Word, rounds};
const BLOCK_LEN: usize = 64;
const CHUNK_LEN: usize = 1024;

const IV: [u32; 8] =
    [0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19];
const MSG_PERMUTATION: [usize; 16] = [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8];
/// The message word each round reads at each position: round `r` reads the block permuted `r` times, so the
/// rounds index the block itself instead of permuting a copy between them.
const SCHEDULES: [[usize; 16]; 7] = {
    let mut schedules = [[0usize; 16]; 7];
    let mut i = 0;
    while i < 16 {
        schedules[0][i] = i;
        i += 1;
    }
    let mut r = 1;
    while r < 7 {
        let mut i = 0;
        while i < 16 {
            schedules[r][i] = schedules[r - 1][MSG_PERMUTATION[i]];
            i += 1;
        }
        r += 1;
    }
    schedules
};
const CHUNK_START: u32 = 1;
const CHUNK_END: u32 = 2;
const ROOT: u32 = 8;
const KEYED_HASH: u32 = 16;

/// The compression function on eight lanes (counter 0, the same length and flags in every lane); returns
/// the new chaining values.
fn compress(cv: &[Word; 8], block: &[Word; 16], block_len: u32, flags: u32) -> [Word; 8] {
    let splat = |x: u32| [x; LANES];
    let mut s: [Word; 16] = [
        cv[0],
        cv[1],
        cv[2],
        cv[3],
        cv[4],
        cv[5],
        cv[6],
        cv[7],
        splat(IV[0]),
        splat(IV[1]),
        splat(IV[2]),
        splat(IV[3]),
        splat(0),
        splat(0),
        splat(block_len),
        splat(flags),
    ];
    rounds(&mut s, block, &SCHEDULES);
    core::array::from_fn(|i| core::array::from_fn(|l| s[i][l] ^ s[i + 8][l]))
}

/// BLAKE3 (or keyed BLAKE3 under `key`) of eight inputs of one common length of at most one chunk.
/// `None` if the lengths differ or exceed a chunk.
pub(crate) fn hash_x8(inputs: [&[u8]; LANES], key: Option<&[u8; 32]>) -> Option<[[u8; 32]; LANES]> {
    let len = inputs[0].len();
    if len > CHUNK_LEN || inputs.iter().any(|i| i.len() != len) {
        return None;
    }
    let (mut cv, mode): ([Word; 8], u32) = match key {
        Some(k) => (
            core::array::from_fn(|i| {
                [u32::from_le_bytes([k[4 * i], k[4 * i + 1], k[4 * i + 2], k[4 * i + 3]]); LANES]
            }),
            KEYED_HASH,
        ),
        None => (IV.map(|w| [w; LANES]), 0),
    };
    let blocks = len.div_ceil(BLOCK_LEN).max(1);
    for b in 0..blocks {
        let offset = b * BLOCK_LEN;
        let block_len = (len - offset).min(BLOCK_LEN);
        let block: [Word; 16] = core::array::from_fn(|i| {
            core::array::from_fn(|l| {
                let mut word = [0u8; 4];
                for (j, byte) in word.iter_mut().enumerate() {
                    let at = offset + 4 * i + j;
                    if at < offset + block_len {
                        *byte = inputs[l][at];
                    }
                }
                u32::from_le_bytes(word)
            })
        });
        let mut flags = mode;
        if b == 0 {
            flags |= CHUNK_START;
        }
        if b == blocks - 1 {
            flags |= CHUNK_END | ROOT;
        }
        cv = compress(&cv, &block, block_len as u32, flags);
    }
    Some(core::array::from_fn(|l| {
        let mut out = [0u8; 32];
        for (i, chunk) in out.chunks_exact_mut(4).enumerate() {
            chunk.copy_from_slice(&cv[i][l].to_le_bytes());
        }
        out
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_blake3_crate_for_every_length_up_to_one_chunk() {
        let data: Vec<u8> = (0..CHUNK_LEN as u32 + 8).map(|i| (i * 29 + 5) as u8).collect();
        let key = [0x42u8; 32];
        for len in (0..=200).chain([255, 256, 257, 511, 1000, 1023, 1024]) {
            let inputs: [&[u8]; LANES] = core::array::from_fn(|l| &data[l..l + len]);
            let plain = hash_x8(inputs, None).unwrap();
            let keyed = hash_x8(inputs, Some(&key)).unwrap();
            for l in 0..LANES {
                assert_eq!(plain[l], *blake3::hash(inputs[l]).as_bytes(), "length {len} lane {l}");
                assert_eq!(
                    keyed[l],
                    *blake3::keyed_hash(&key, inputs[l]).as_bytes(),
                    "keyed, length {len} lane {l}"
                );
            }
        }
        assert!(hash_x8([&data[..CHUNK_LEN + 1]; LANES], None).is_none());
    }
}
