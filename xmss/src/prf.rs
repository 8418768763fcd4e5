//! The SHAKE128 pseudorandom function: chain starts and the signing randomness rho.
//!
//! Output field elements are read as 16 big-endian bytes each, reduced modulo p (bias below 2^-96).
//! Signing is deterministic: rho depends only on (key, epoch, message, attempt), so re-signing the same
//! (epoch, message) gives the same bytes, and a different message at a used epoch is the only danger.

use sha3::Shake128;
use sha3::digest::{ExtendableOutput, Update, XofReader};

use zeroize::Zeroize;

use crate::field::{Digest, F, HASH_LEN, RAND_LEN, Rho, from_u128, wipe};
use crate::keccak_x8::{LANES, shake128_one_block};

/// Length in bytes of the PRF key.
pub use crate::secret_key::PRF_KEY_LEN;

const DOMAIN: [u8; 16] =
    [0xae, 0xae, 0x22, 0xff, 0x00, 0x01, 0xfa, 0xff, 0x21, 0xaf, 0x12, 0x00, 0x01, 0x11, 0xff, 0x00];
const TAG_CHAIN_START: u8 = 0x00;
const TAG_RANDOMNESS: u8 = 0x01;

fn read_elems<const N: usize>(mut reader: impl XofReader) -> [F; N] {
    core::array::from_fn(|_| {
        let mut buf = [0u8; 16];
        reader.read(&mut buf);
        from_u128(u128::from_be_bytes(buf))
    })
}

/// The secret start of chain `chain_index` at `epoch`.
pub fn chain_start(key: &[u8; PRF_KEY_LEN], epoch: u32, chain_index: u64) -> Digest {
    let mut h = Shake128::default();
    h.update(&DOMAIN);
    h.update(&[TAG_CHAIN_START]);
    h.update(key);
    h.update(&epoch.to_be_bytes());
    h.update(&chain_index.to_be_bytes());
    read_elems::<HASH_LEN>(h.finalize_xof())
}

/// The encoding randomness for the `attempt`-th try at signing `message` at `epoch`.
pub fn randomness(key: &[u8; PRF_KEY_LEN], epoch: u32, message: &[u8; 32], attempt: u64) -> Rho {
    let mut h = Shake128::default();
    h.update(&DOMAIN);
    h.update(&[TAG_RANDOMNESS]);
    h.update(key);
    h.update(&epoch.to_be_bytes());
    h.update(message);
    h.update(&attempt.to_be_bytes());
    read_elems::<RAND_LEN>(h.finalize_xof())
}

fn elems_from_block<const N: usize>(block: &[u8]) -> [F; N] {
    core::array::from_fn(|i| from_u128(u128::from_be_bytes(core::array::from_fn(|j| block[16 * i + j]))))
}

/// [`chain_start`] for many (epoch, chain) pairs, eight SHAKE128 evaluations at a time.
///
/// The result is secret: callers walk it in place (signing) or wipe it once used (key generation).
pub fn chain_starts(key: &[u8; PRF_KEY_LEN], items: &[(u32, u64)]) -> Vec<Digest> {
    const LEN: usize = 16 + 1 + PRF_KEY_LEN + 4 + 8;
    let mut out = Vec::with_capacity(items.len());
    for group in items.chunks(LANES) {
        let mut inputs: [[u8; LEN]; LANES] = core::array::from_fn(|l| {
            let (epoch, index) = group[l.min(group.len() - 1)];
            let mut buf = [0u8; LEN];
            buf[..16].copy_from_slice(&DOMAIN);
            buf[16] = TAG_CHAIN_START;
            buf[17..49].copy_from_slice(key);
            buf[49..53].copy_from_slice(&epoch.to_be_bytes());
            buf[53..].copy_from_slice(&index.to_be_bytes());
            buf
        });
        let mut blocks = shake128_one_block(core::array::from_fn(|l| &inputs[l][..]));
        out.extend(blocks[..group.len()].iter().map(|b| elems_from_block::<HASH_LEN>(b)));
        // The inputs hold the key and the blocks the secret chain starts; only `out` leaves this function.
        wipe(inputs.as_flattened_mut(), 0);
        wipe(blocks.as_flattened_mut(), 0);
    }
    out
}

/// [`randomness`] for the attempts `first..first + count`, eight SHAKE128 evaluations at a time.
pub fn randomness_batch(
    key: &[u8; PRF_KEY_LEN],
    epoch: u32,
    message: &[u8; 32],
    first: u64,
    count: usize,
) -> Vec<Rho> {
    const LEN: usize = 16 + 1 + PRF_KEY_LEN + 4 + 32 + 8;
    let mut base = [0u8; LEN];
    base[..16].copy_from_slice(&DOMAIN);
    base[16] = TAG_RANDOMNESS;
    base[17..49].copy_from_slice(key);
    base[49..53].copy_from_slice(&epoch.to_be_bytes());
    base[53..85].copy_from_slice(message);
    let mut out = Vec::with_capacity(count);
    let mut attempt = first;
    while out.len() < count {
        let mut inputs: [[u8; LEN]; LANES] = core::array::from_fn(|l| {
            let mut buf = base;
            buf[85..].copy_from_slice(&(attempt + l as u64).to_be_bytes());
            buf
        });
        let blocks = shake128_one_block(core::array::from_fn(|l| &inputs[l][..]));
        let take = (count - out.len()).min(LANES);
        out.extend(blocks[..take].iter().map(|b| elems_from_block::<RAND_LEN>(b)));
        wipe(inputs.as_flattened_mut(), 0); // they hold the key
        attempt += LANES as u64;
    }
    base.zeroize();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batched_prf_matches_single_calls() {
        let key = [0x5a; 32];
        let items: Vec<(u32, u64)> = (0..19).map(|i| (1000 + i * 7, u64::from(i % 46))).collect();
        let batch = chain_starts(&key, &items);
        for (got, &(e, c)) in batch.iter().zip(&items) {
            assert_eq!(*got, chain_start(&key, e, c));
        }
        let rhos = randomness_batch(&key, 77, &[3; 32], 5, 13);
        for (k, rho) in rhos.iter().enumerate() {
            assert_eq!(*rho, randomness(&key, 77, &[3; 32], 5 + k as u64));
        }
    }

    #[test]
    fn outputs_depend_on_every_input() {
        let key = [7u8; 32];
        let base = chain_start(&key, 3, 4);
        assert_ne!(base, chain_start(&[8u8; 32], 3, 4));
        assert_ne!(base, chain_start(&key, 4, 4));
        assert_ne!(base, chain_start(&key, 3, 5));
        let r = randomness(&key, 3, &[0u8; 32], 0);
        assert_ne!(r, randomness(&key, 3, &[0u8; 32], 1));
        assert_ne!(r, randomness(&key, 3, &[1u8; 32], 0));
        assert_eq!(r, randomness(&key, 3, &[0u8; 32], 0));
    }
}
