//! The message hash and the target-sum encoding over bytes.
//!
//! `H(parameter ‖ tweak(epoch) ‖ rho ‖ message)` gives 32 bytes; the first 144 bits, read least significant
//! bit first, are `v` digits of `log2(w)` bits each. Because `w` is a power of two the digits are exactly
//! uniform and no output is ever rejected (the Poseidon back-end needs its aborting decomposition only
//! because field elements are not). The codeword is accepted if its digits sum to the target `T`.

use crate::backend::{Encoding, target_sum};
use crate::byte_xmss::hash::MESSAGE_HASH_LEN;
use crate::error::EncodingError;

/// The byte sets' encoding: `dimension` digits of `LOG_BASE` bits from the first 144 bits of the digest,
/// least significant bit first, then the target sum.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BitDigits<const LOG_BASE: u32>;

impl<const LOG_BASE: u32> BitDigits<LOG_BASE> {
    /// Digits per 144-bit digest prefix.
    pub const DIMENSION: usize = MESSAGE_HASH_LEN * 8 / LOG_BASE as usize;

    /// The digits of `hash` (every digest gives digits; only the sum can reject it).
    pub fn digits(hash: &[u8; 32], out: &mut [u8]) {
        let mask = (1u32 << LOG_BASE) - 1;
        let mut acc: u32 = 0;
        let mut have = 0u32;
        let mut bytes = hash[..MESSAGE_HASH_LEN].iter();
        for digit in out[..Self::DIMENSION].iter_mut() {
            if have < LOG_BASE {
                acc |= u32::from(bytes.next().copied().unwrap_or(0)) << have;
                have += 8;
            }
            *digit = (acc & mask) as u8;
            acc >>= LOG_BASE;
            have -= LOG_BASE;
        }
    }
}

impl<const LOG_BASE: u32> Encoding for BitDigits<LOG_BASE> {
    type Digest = [u8; 32];

    fn codeword(
        digest: &[u8; 32],
        dimension: usize,
        _base: usize,
        target: usize,
        out: &mut [u8],
    ) -> Result<(), EncodingError> {
        Self::digits(digest, out);
        target_sum(&out[..dimension], target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn digits_read_bits_least_significant_first() {
        let mut hash = [0u8; 32];
        hash[0] = 0b1110_0100; // base 4: digits 0, 1, 2, 3
        let mut out = [0u8; 72];
        BitDigits::<2>::digits(&hash, &mut out);
        assert_eq!(&out[..5], &[0, 1, 2, 3, 0]);
        hash[0] = 0b1111_1010; // base 8: 010, 111, then 11 + the low bit of byte 1
        hash[1] = 0b0000_0001;
        let mut out = [0u8; 48];
        BitDigits::<3>::digits(&hash, &mut out);
        assert_eq!(&out[..4], &[2, 7, 7, 0]);
    }

    proptest! {
        #[test]
        fn digits_reassemble_to_the_hash(hash in proptest::array::uniform32(any::<u8>())) {
            let mut out = [0u8; 48];
            BitDigits::<3>::digits(&hash, &mut out);
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
