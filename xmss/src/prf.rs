//! The SHAKE128 pseudorandom function: chain starts and the signing randomness rho.
//!
//! Output field elements are read as 16 big-endian bytes each, reduced modulo p (bias below 2^-96).
//! Signing is deterministic: rho depends only on (key, epoch, message, attempt), so re-signing the same
//! (epoch, message) gives the same bytes, and a different message at a used epoch is the only danger.

use sha3::Shake128;
use sha3::digest::{ExtendableOutput, Update, XofReader};

use crate::field::{Digest, F, HASH_LEN, RAND_LEN, Rho, from_u128};

/// Length in bytes of the PRF key.
pub const PRF_KEY_LEN: usize = 32;

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

#[cfg(test)]
mod tests {
    use super::*;

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
