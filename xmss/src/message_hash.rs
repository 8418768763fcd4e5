//! The aborting hypercube message hash and the target-sum incomparable encoding.
//!
//! `H(message ‖ parameter ‖ tweak(epoch) ‖ rho)` is one width-24 Poseidon compression (this input order is
//! leanSig c08a3ba's, pinned by the Devnet-4 vectors; earlier leanSig revisions put rho first). Each of the first
//! `ceil(v / z)` output elements `a` must lie below `Q · w^z` (else the hash aborts, which keeps the digits
//! uniform); `floor(a / Q)` is then written as `z` base-`w` digits, least significant first. The codeword is
//! accepted only if its digits sum to the target `T`, which makes codewords pairwise incomparable.

use p3_field::{Algebra, PrimeCharacteristicRing, PrimeField32};
use p3_symmetric::Permutation;

use crate::field::{F, HASH_LEN, MSG_LEN, P, PackedF, Parameter, RAND_LEN, Rho};
use crate::instance::Instance;
use crate::poseidon::{Poseidon24, compress, poseidon24};
use crate::tweak::message_tweak;

/// Why a (message, rho) pair has no codeword.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EncodingError {
    /// A hash output element was at or above `Q · w^z`.
    #[error("message hash aborted (output element at or above Q·w^z)")]
    Aborted,
    /// The digits do not sum to the target.
    #[error("codeword sums to {got}, the target sum is {expected}")]
    TargetSum {
        /// The instance's target sum.
        expected: usize,
        /// The sum of the digits.
        got: usize,
    },
}

/// Writes the 32-byte message, read as a little-endian integer, in base p (9 digits).
pub fn encode_message(message: &[u8; 32]) -> [F; MSG_LEN] {
    // 256-bit integer as eight little-endian u32 limbs; each round divides it by p in place.
    let mut limbs: [u32; 8] =
        core::array::from_fn(|i| u32::from_le_bytes([0, 1, 2, 3].map(|j| message[4 * i + j])));
    core::array::from_fn(|_| {
        let mut rem: u64 = 0;
        for limb in limbs.iter_mut().rev() {
            let cur = (rem << 32) | u64::from(*limb);
            *limb = (cur / u64::from(P)) as u32;
            rem = cur % u64::from(P);
        }
        F::from_u32(rem as u32)
    })
}

/// The part of the message hash input fixed by (parameter, epoch, message): everything but rho.
///
/// Signing tries about a thousand rho values for Devnet 4 (T = 200 lies 2.5 standard deviations above the
/// mean digit sum), so the message encoding is computed once and the attempts run one SIMD width at a time.
pub struct MessageHasher {
    prefix: [F; 16],
}

impl MessageHasher {
    /// Prepares the hash of `message` at `epoch` under `parameter`.
    pub fn new(parameter: &Parameter, epoch: u32, message: &[u8; 32]) -> Self {
        let mut prefix = [F::ZERO; 16];
        let tweak = message_tweak(epoch);
        for (slot, x) in prefix.iter_mut().zip(encode_message(message).iter().chain(parameter).chain(&tweak))
        {
            *slot = *x;
        }
        MessageHasher { prefix }
    }

    fn hash<R: Algebra<F> + Copy>(&self, rho: &[R; RAND_LEN]) -> [R; HASH_LEN]
    where
        Poseidon24: Permutation<[R; 24]>,
    {
        let mut input = [R::ZERO; 24];
        for (slot, x) in input.iter_mut().zip(self.prefix) {
            *slot = R::from(x);
        }
        input[16..23].copy_from_slice(rho);
        compress(poseidon24(), input)
    }

    /// The hash output for one rho.
    pub fn elems(&self, rho: &Rho) -> [F; HASH_LEN] {
        self.hash(rho)
    }

    /// The hash outputs for one SIMD width of rho values (lane `l` holds attempt `l`).
    pub fn elems_packed(&self, rho: &[PackedF; RAND_LEN]) -> [PackedF; HASH_LEN] {
        self.hash(rho)
    }
}

/// The message hash output before decoding into digits.
pub fn message_hash_elems(parameter: &Parameter, epoch: u32, rho: &Rho, message: &[u8; 32]) -> [F; HASH_LEN] {
    MessageHasher::new(parameter, epoch, message).elems(rho)
}

/// Decodes hash output elements into `I::DIMENSION` hypercube digits, or `Aborted`.
pub fn digits_from_elems<I: Instance>(elems: &[F; HASH_LEN], out: &mut [u8]) -> Result<(), EncodingError> {
    let z = I::Z;
    let bound = I::Q * (I::BASE as u64).pow(z as u32);
    for (i, digits) in out[..I::DIMENSION].chunks_mut(z).enumerate() {
        let a = u64::from(elems[i].as_canonical_u32());
        if a >= bound {
            return Err(EncodingError::Aborted);
        }
        let mut d = a / I::Q;
        for digit in digits {
            *digit = (d % I::BASE as u64) as u8;
            d /= I::BASE as u64;
        }
    }
    Ok(())
}

/// The target-sum codeword from hash output elements, written into `out[..I::DIMENSION]`.
pub fn codeword_from_elems<I: Instance>(elems: &[F; HASH_LEN], out: &mut [u8]) -> Result<(), EncodingError> {
    digits_from_elems::<I>(elems, out)?;
    let sum: usize = out[..I::DIMENSION].iter().map(|&d| usize::from(d)).sum();
    if sum == I::TARGET_SUM {
        Ok(())
    } else {
        Err(EncodingError::TargetSum { expected: I::TARGET_SUM, got: sum })
    }
}

/// The target-sum codeword for (message, rho) at `epoch`, written into `out[..I::DIMENSION]`.
pub fn codeword<I: Instance>(
    parameter: &Parameter,
    epoch: u32,
    rho: &Rho,
    message: &[u8; 32],
    out: &mut [u8],
) -> Result<(), EncodingError> {
    codeword_from_elems::<I>(&message_hash_elems(parameter, epoch, rho, message), out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn to_u128_pair(d: &[F; MSG_LEN]) -> Vec<u32> {
        d.iter().map(|x| x.as_canonical_u32()).collect()
    }

    #[test]
    fn encode_small_messages() {
        let mut m = [0u8; 32];
        assert!(to_u128_pair(&encode_message(&m)).iter().all(|&d| d == 0));
        m[0] = 5;
        assert_eq!(to_u128_pair(&encode_message(&m))[0], 5);
        // p itself encodes as digits [0, 1, 0, ...].
        m[..4].copy_from_slice(&P.to_le_bytes());
        let d = to_u128_pair(&encode_message(&m));
        assert_eq!(&d[..3], &[0, 1, 0]);
    }

    /// Rebuilds the 256-bit integer from its base-p digits (most significant first: v = v·p + d).
    fn reassemble(digits: &[F; MSG_LEN]) -> [u32; 9] {
        let mut limbs = [0u32; 9];
        for d in digits.iter().rev() {
            let mut carry = u64::from(d.as_canonical_u32());
            for limb in limbs.iter_mut() {
                let cur = u64::from(*limb) * u64::from(P) + carry;
                *limb = cur as u32;
                carry = cur >> 32;
            }
        }
        limbs
    }

    proptest! {
        #[test]
        fn encode_message_is_base_p(m in proptest::array::uniform32(any::<u8>())) {
            let digits = encode_message(&m);
            prop_assert!(digits.iter().all(|d| d.as_canonical_u32() < P));
            let limbs = reassemble(&digits);
            let expected: Vec<u32> = m.chunks(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
            prop_assert_eq!(&limbs[..8], &expected[..]);
            prop_assert_eq!(limbs[8], 0);
        }
    }
}
