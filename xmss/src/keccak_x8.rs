//! Eight SHAKE128 evaluations at once, for inputs and outputs of at most one block.
//!
//! The PRF (FIPS 202 SHAKE128) is evaluated 46 times per epoch at key generation and about a thousand times
//! per Devnet-4 signature, and each evaluation is one Keccak-f[1600] permutation: SHAKE dominated key
//! generation once Poseidon ran on packed lanes. Here eight states run side by side, word `i` of state `l` at
//! `state[i][l]`, in plain safe Rust whose lane loops the compiler turns into 512-bit (or 256-bit) vector
//! instructions. The `sha3` crate stays the reference: the tests compare every output with it.

/// SHAKE128 rate in bytes.
pub(crate) const RATE: usize = 168;
/// Parallel lanes.
pub(crate) const LANES: usize = 8;

type Word = [u64; LANES];

const ROUND_CONSTANTS: [u64; 24] = [
    0x0000_0000_0000_0001,
    0x0000_0000_0000_8082,
    0x8000_0000_0000_808a,
    0x8000_0000_8000_8000,
    0x0000_0000_0000_808b,
    0x0000_0000_8000_0001,
    0x8000_0000_8000_8081,
    0x8000_0000_0000_8009,
    0x0000_0000_0000_008a,
    0x0000_0000_0000_0088,
    0x0000_0000_8000_8009,
    0x0000_0000_8000_000a,
    0x0000_0000_8000_808b,
    0x8000_0000_0000_008b,
    0x8000_0000_0000_8089,
    0x8000_0000_0000_8003,
    0x8000_0000_0000_8002,
    0x8000_0000_0000_0080,
    0x0000_0000_0000_800a,
    0x8000_0000_8000_000a,
    0x8000_0000_8000_8081,
    0x8000_0000_0000_8080,
    0x0000_0000_8000_0001,
    0x8000_0000_8000_8008,
];

/// Rotation offset of the word at `x + 5 y` (FIPS 202, rho step).
const ROTATIONS: [u32; 25] = [
    0, 1, 62, 28, 27, //
    36, 44, 6, 55, 20, //
    3, 10, 43, 25, 39, //
    41, 45, 15, 21, 8, //
    18, 2, 61, 56, 14,
];

#[inline(always)]
fn xor(a: &Word, b: &Word) -> Word {
    core::array::from_fn(|l| a[l] ^ b[l])
}

#[inline(always)]
fn rotl(a: &Word, r: u32) -> Word {
    core::array::from_fn(|l| a[l].rotate_left(r))
}

/// Keccak-f[1600] on eight states.
fn keccak_f1600(state: &mut [Word; 25]) {
    for rc in ROUND_CONSTANTS {
        // theta
        let c: [Word; 5] = core::array::from_fn(|x| {
            let mut col = state[x];
            for y in 1..5 {
                col = xor(&col, &state[x + 5 * y]);
            }
            col
        });
        for x in 0..5 {
            let d = xor(&c[(x + 4) % 5], &rotl(&c[(x + 1) % 5], 1));
            for y in 0..5 {
                state[x + 5 * y] = xor(&state[x + 5 * y], &d);
            }
        }
        // rho and pi: B[y, 2x + 3y] = rot(A[x, y])
        let mut b = [[0u64; LANES]; 25];
        for x in 0..5 {
            for y in 0..5 {
                b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(&state[x + 5 * y], ROTATIONS[x + 5 * y]);
            }
        }
        // chi
        for y in 0..5 {
            for x in 0..5 {
                let (b0, b1, b2) = (&b[x + 5 * y], &b[(x + 1) % 5 + 5 * y], &b[(x + 2) % 5 + 5 * y]);
                state[x + 5 * y] = core::array::from_fn(|l| b0[l] ^ (!b1[l] & b2[l]));
            }
        }
        // iota
        for lane in &mut state[0] {
            *lane ^= rc;
        }
    }
}

/// SHAKE128 of eight messages of at most `RATE - 1` bytes each, squeezing one block per message.
pub(crate) fn shake128_one_block(inputs: [&[u8]; LANES]) -> [[u8; RATE]; LANES] {
    let mut blocks = [[0u8; RATE]; LANES];
    for (block, input) in blocks.iter_mut().zip(inputs) {
        debug_assert!(input.len() < RATE);
        let n = input.len().min(RATE - 1);
        block[..n].copy_from_slice(&input[..n]);
        block[n] ^= 0x1f; // SHAKE domain bits and the first padding bit
        block[RATE - 1] ^= 0x80; // the last padding bit
    }
    let mut state = [[0u64; LANES]; 25];
    for (i, word) in state.iter_mut().take(RATE / 8).enumerate() {
        *word = core::array::from_fn(|l| u64::from_le_bytes(core::array::from_fn(|j| blocks[l][8 * i + j])));
    }
    // The inputs carry the PRF key: wipe them before the stack frame is reused.
    crate::field::wipe(blocks.as_flattened_mut(), 0);
    keccak_f1600(&mut state);
    let mut out = [[0u8; RATE]; LANES];
    for (l, block) in out.iter_mut().enumerate() {
        for (i, chunk) in block.chunks_exact_mut(8).enumerate() {
            chunk.copy_from_slice(&state[i][l].to_le_bytes());
        }
    }
    crate::field::wipe(state.as_flattened_mut(), 0);
    out
}

/// SHA3-256 rate in bytes.
pub(crate) const SHA3_256_RATE: usize = 136;

/// SHA3-256 of eight messages of at most `SHA3_256_RATE - 1` bytes each (one permutation per message).
pub(crate) fn sha3_256_one_block(inputs: [&[u8]; LANES]) -> [[u8; 32]; LANES] {
    let state = absorb_one_block::<SHA3_256_RATE>(inputs, 0x06); // SHA-3 domain bits and the first padding bit
    core::array::from_fn(|l| {
        let mut digest = [0u8; 32];
        for (i, chunk) in digest.chunks_exact_mut(8).enumerate() {
            chunk.copy_from_slice(&state[i][l].to_le_bytes());
        }
        digest
    })
}

/// Pads each input into one block of `R` bytes (`first_pad` after the message, 0x80 at the end), loads the
/// eight blocks into the lane-parallel state and permutes once.
fn absorb_one_block<const R: usize>(inputs: [&[u8]; LANES], first_pad: u8) -> [Word; 25] {
    let mut blocks = [[0u8; R]; LANES];
    for (block, input) in blocks.iter_mut().zip(inputs) {
        debug_assert!(input.len() < R);
        let n = input.len().min(R - 1);
        block[..n].copy_from_slice(&input[..n]);
        block[n] ^= first_pad;
        block[R - 1] ^= 0x80; // the last padding bit
    }
    let mut state = [[0u64; LANES]; 25];
    for (i, word) in state.iter_mut().take(R / 8).enumerate() {
        *word = core::array::from_fn(|l| u64::from_le_bytes(core::array::from_fn(|j| blocks[l][8 * i + j])));
    }
    keccak_f1600(&mut state);
    state
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha3::Shake128;
    use sha3::digest::{ExtendableOutput, Update, XofReader};

    fn reference(input: &[u8]) -> [u8; RATE] {
        let mut h = Shake128::default();
        h.update(input);
        let mut out = [0u8; RATE];
        h.finalize_xof().read(&mut out);
        out
    }

    #[test]
    fn sha3_256_matches_sha3_for_every_length_up_to_one_block() {
        use sha3::{Digest, Sha3_256};
        let data: Vec<u8> = (0..SHA3_256_RATE as u32).map(|i| (i * 53 + 7) as u8).collect();
        for len in 0..SHA3_256_RATE {
            let inputs: [&[u8]; LANES] = core::array::from_fn(|l| &data[..len.saturating_sub(l % 3)]);
            let out = sha3_256_one_block(inputs);
            for (l, input) in inputs.iter().enumerate() {
                assert_eq!(out[l][..], Sha3_256::digest(input)[..], "length {} lane {l}", input.len());
            }
        }
    }

    #[test]
    fn matches_sha3_for_every_length_up_to_one_block() {
        let data: Vec<u8> = (0..RATE as u32).map(|i| (i * 37 + 11) as u8).collect();
        for len in 0..RATE {
            let inputs: [&[u8]; LANES] = core::array::from_fn(|l| &data[..len.saturating_sub(l % 2)]);
            let out = shake128_one_block(inputs);
            for (l, input) in inputs.iter().enumerate() {
                assert_eq!(out[l], reference(input), "length {} lane {l}", input.len());
            }
        }
    }
}
