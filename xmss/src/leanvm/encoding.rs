//! leanVM's target-sum encoding: 3-bit digits read from two little-endian 64-bit words of the 16-byte
//! message digest, 21 from each, the top bit of each word left over and required to be zero, and the 42
//! digits summing to the target.
//!
//! The leftover-bit rule matters: a verifier that skipped it would accept four times as many digests, and
//! a signer would then have to grind less than the security analysis assumes.

use crate::backend::{Encoding, target_sum};
use crate::error::EncodingError;

/// Digits read from each 64-bit word.
const DIGITS_PER_WORD: usize = 21;

/// The leanVM encoding over 16-byte digests (42 digits of base 8).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LeftoverBitDigits;

impl LeftoverBitDigits {
    /// The 42 digits of `digest`, whatever its leftover bits (for tests and reports).
    pub fn digits(digest: &[u8; 16]) -> [u8; 2 * DIGITS_PER_WORD] {
        let words = words(digest);
        core::array::from_fn(|i| ((words[i / DIGITS_PER_WORD] >> (3 * (i % DIGITS_PER_WORD))) & 7) as u8)
    }
}

/// The bits of the lowest bit of every digit of a word.
const DIGIT_LOW_BITS: u64 = 0o111_111_111_111_111_111_111;

/// The sum of a word's 21 digits, by weighing the popcounts of their low, middle and high bits: signing
/// tests about 2^15 digests, so the sum is taken before the digits.
fn digit_sum(word: u64) -> usize {
    let ones = |shift: u32| (word & (DIGIT_LOW_BITS << shift)).count_ones() as usize;
    ones(0) + 2 * ones(1) + 4 * ones(2)
}

fn words(digest: &[u8; 16]) -> [u64; 2] {
    let word = |at: usize| u64::from_le_bytes(core::array::from_fn(|i| digest[at + i]));
    [word(0), word(8)]
}

impl Encoding for LeftoverBitDigits {
    type Digest = [u8; 16];

    fn codeword(
        digest: &[u8; 16],
        dimension: usize,
        _base: usize,
        target: usize,
        out: &mut [u8],
    ) -> Result<(), EncodingError> {
        for (w, word) in words(digest).iter().enumerate() {
            if word >> 63 != 0 {
                return Err(EncodingError::LeftoverBit { bit: 64 * w as u32 + 63 });
            }
        }
        let [w0, w1] = words(digest);
        if dimension == 2 * DIGITS_PER_WORD && digit_sum(w0) + digit_sum(w1) != target {
            return Err(EncodingError::TargetSum { expected: target, got: digit_sum(w0) + digit_sum(w1) });
        }
        out[..dimension].copy_from_slice(&Self::digits(digest)[..dimension]);
        target_sum(&out[..dimension], target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Digits, with the two leftover bits, reassemble the digest.
        #[test]
        fn digits_and_leftover_bits_reassemble_the_digest(digest in proptest::array::uniform16(any::<u8>())) {
            let digits = LeftoverBitDigits::digits(&digest);
            let [w0, w1] = words(&digest);
            let rebuild = |ds: &[u8]| ds.iter().rev().fold(0u64, |acc, &d| (acc << 3) | u64::from(d));
            prop_assert_eq!(rebuild(&digits[..21]) | (w0 & (1 << 63)), w0);
            prop_assert_eq!(rebuild(&digits[21..]) | (w1 & (1 << 63)), w1);
        }
    }

    proptest! {
        /// The popcount sum is the sum of the digits.
        #[test]
        fn digit_sum_is_the_sum_of_the_digits(digest in proptest::array::uniform16(any::<u8>())) {
            let [w0, w1] = words(&digest);
            let digits = LeftoverBitDigits::digits(&digest);
            prop_assert_eq!(digit_sum(w0 & !(1 << 63)) + digit_sum(w1 & !(1 << 63)), digits.iter().map(|&d| usize::from(d)).sum::<usize>());
        }
    }

    #[test]
    fn each_leftover_bit_is_its_own_error() {
        let mut out = [0u8; 42];
        let mut digest = [0u8; 16];
        digest[7] = 0x80;
        let first = LeftoverBitDigits::codeword(&digest, 42, 8, 0, &mut out);
        assert_eq!(first, Err(EncodingError::LeftoverBit { bit: 63 }));
        digest[7] = 0;
        digest[15] = 0x80;
        let second = LeftoverBitDigits::codeword(&digest, 42, 8, 0, &mut out);
        assert_eq!(second, Err(EncodingError::LeftoverBit { bit: 127 }));
        digest[15] = 0;
        assert_eq!(LeftoverBitDigits::codeword(&digest, 42, 8, 0, &mut out), Ok(()));
    }
}
