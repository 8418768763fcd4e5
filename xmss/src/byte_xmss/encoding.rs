//! The message hash and the target-sum encoding over bytes.
//!
//! `H(parameter ‖ tweak(epoch) ‖ rho ‖ message)` gives 32 bytes; the first 144 bits, read least significant
//! bit first, are `v` digits of `log2(w)` bits each. Because `w` is a power of two the digits are exactly
//! uniform and no output is ever rejected (the Poseidon back-end needs its aborting decomposition only
//! because field elements are not). The codeword is accepted if its digits sum to the target `T`.

use crate::byte_xmss::hash::{BATCH, MESSAGE_HASH_LEN, Parameter, Rho, Tweak, tweak_hash, tweak_hash_x8};
use crate::byte_xmss::params::ByteInstance;
use crate::message_hash::EncodingError;

/// The digits of a message-hash output (no target-sum check), into `out[..I::DIMENSION]`.
pub fn digits<I: ByteInstance>(hash: &[u8; 32], out: &mut [u8]) {
    let bits = I::LOG_BASE;
    let mask = (1u32 << bits) - 1;
    let mut acc: u32 = 0;
    let mut have = 0u32;
    let mut bytes = hash[..MESSAGE_HASH_LEN].iter();
    for digit in out[..I::DIMENSION].iter_mut() {
        if have < bits {
            acc |= u32::from(bytes.next().copied().unwrap_or(0)) << have;
            have += 8;
        }
        *digit = (acc & mask) as u8;
        acc >>= bits;
        have -= bits;
    }
}

/// The target-sum codeword of a message-hash output, into `out[..I::DIMENSION]`.
pub fn codeword_from_hash<I: ByteInstance>(hash: &[u8; 32], out: &mut [u8]) -> Result<(), EncodingError> {
    digits::<I>(hash, out);
    let sum: usize = out[..I::DIMENSION].iter().map(|&d| usize::from(d)).sum();
    if sum == I::TARGET_SUM {
        Ok(())
    } else {
        Err(EncodingError::TargetSum { expected: I::TARGET_SUM, got: sum })
    }
}

/// The message hash for one rho.
pub fn message_hash<I: ByteInstance>(
    parameter: &Parameter,
    epoch: u32,
    rho: &Rho,
    message: &[u8; 32],
) -> [u8; 32] {
    tweak_hash::<I::Hash>(parameter, Tweak::Message { epoch }, &[rho, message])
}

/// The message hashes for eight rho values at once.
pub fn message_hash_x8<I: ByteInstance>(
    parameter: &Parameter,
    epoch: u32,
    rhos: &[Rho; BATCH],
    message: &[u8; 32],
) -> [[u8; 32]; BATCH] {
    let tweak = Tweak::Message { epoch };
    tweak_hash_x8::<I::Hash>(
        parameter,
        [tweak; BATCH],
        core::array::from_fn(|l| [&rhos[l][..], &message[..]]),
        BATCH,
    )
}

/// The codeword of (message, rho) at `epoch`, into `out[..I::DIMENSION]`.
pub fn codeword<I: ByteInstance>(
    parameter: &Parameter,
    epoch: u32,
    rho: &Rho,
    message: &[u8; 32],
    out: &mut [u8],
) -> Result<(), EncodingError> {
    codeword_from_hash::<I>(&message_hash::<I>(parameter, epoch, rho, message), out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::byte_xmss::params::{Blake3L32W8, Sha3L18W4};
    use proptest::prelude::*;

    #[test]
    fn digits_read_bits_least_significant_first() {
        let mut hash = [0u8; 32];
        hash[0] = 0b1110_0100; // base 4: digits 0, 1, 2, 3
        let mut out = [0u8; 72];
        digits::<Sha3L18W4>(&hash, &mut out);
        assert_eq!(&out[..5], &[0, 1, 2, 3, 0]);
        hash[0] = 0b1111_1010; // base 8: 010, 111, then 11 + the low bit of byte 1
        hash[1] = 0b0000_0001;
        let mut out = [0u8; 48];
        digits::<Blake3L32W8>(&hash, &mut out);
        assert_eq!(&out[..4], &[2, 7, 7, 0]);
    }

    proptest! {
        #[test]
        fn digits_reassemble_to_the_hash(hash in proptest::array::uniform32(any::<u8>())) {
            let mut out = [0u8; 48];
            digits::<Blake3L32W8>(&hash, &mut out);
            let mut rebuilt = [0u8; MESSAGE_HASH_LEN];
            for (i, d) in out.iter().enumerate() {
                prop_assert!(*d < 8);
                let bit = 3 * i;
                for b in 0..3 {
                    let pos = bit + b;
                    rebuilt[pos / 8] |= ((d >> b) & 1) << (pos % 8);
                }
            }
            prop_assert_eq!(&rebuilt[..], &hash[..MESSAGE_HASH_LEN]);
        }
    }
}
