//! The aborting hypercube message hash and the target-sum incomparable encoding.
//!
//! `H(message ‖ parameter ‖ tweak(epoch) ‖ rho)` is one width-24 Poseidon compression (this input order is
//! leanSig c08a3ba's, pinned by the Devnet-4 vectors; earlier leanSig revisions put rho first). Each of the first
//! `ceil(v / z)` output elements `a` must lie below `Q · w^z` (else the hash aborts, which keeps the digits
//! uniform); `floor(a / Q)` is then written as `z` base-`w` digits, least significant first. The codeword is
//! accepted only if its digits sum to the target `T`, which makes codewords pairwise incomparable.

use p3_field::{Algebra, PrimeCharacteristicRing, PrimeField32};
use p3_symmetric::Permutation;

use crate::backend::{Encoding, target_sum};
use crate::error::EncodingError;
use crate::field::{F, HASH_LEN, MSG_LEN, P, PackedF, Parameter, RAND_LEN, Rho};
use crate::poseidon::{Poseidon24, compress, poseidon24};
use crate::tweak::message_tweak;

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

/// The message hash output elements for `rho`.
pub fn message_hash_elems(parameter: &Parameter, epoch: u32, rho: &Rho, message: &[u8; 32]) -> [F; HASH_LEN] {
    MessageHasher::new(parameter, epoch, message).elems(rho)
}

/// leanSig's aborting hypercube decomposition: `z` base-`w` digits from each of the first `ceil(v / z)`
/// output elements below `Q · w^z`, then the target sum.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AbortingHypercube<const Z: usize, const Q: u64>;

impl<const Z: usize, const Q: u64> AbortingHypercube<Z, Q> {
    /// Base-`w` digits taken from each output element.
    pub const Z: usize = Z;
    /// The divisor of the aborting decomposition.
    pub const Q: u64 = Q;

    /// Compile-time checks for an instance of `dimension` chains of length `base`: enough output elements,
    /// and `Q · w^z <= p` (checked without overflow).
    pub const fn check(dimension: usize, base: usize) {
        assert!(Z >= 1 && dimension.div_ceil(Z) <= HASH_LEN);
        assert!(Q >= 1);
        let mut bound = Q as u128;
        let mut i = 0;
        while i < Z {
            bound *= base as u128;
            i += 1;
        }
        assert!(bound <= P as u128);
    }

    /// The digits without the target-sum check (for tests that look at rejected codewords).
    pub fn digits(
        elems: &[F; HASH_LEN],
        dimension: usize,
        base: usize,
        out: &mut [u8],
    ) -> Result<(), EncodingError> {
        let bound = Q * (base as u64).pow(Z as u32);
        for (i, digits) in out[..dimension].chunks_mut(Z).enumerate() {
            let a = u64::from(elems[i].as_canonical_u32());
            if a >= bound {
                return Err(EncodingError::Aborted);
            }
            let mut d = a / Q;
            for digit in digits {
                *digit = (d % base as u64) as u8;
                d /= base as u64;
            }
        }
        Ok(())
    }
}

impl<const Z: usize, const Q: u64> Encoding for AbortingHypercube<Z, Q> {
    type Digest = [F; HASH_LEN];

    fn codeword(
        digest: &[F; HASH_LEN],
        dimension: usize,
        base: usize,
        target: usize,
        out: &mut [u8],
    ) -> Result<(), EncodingError> {
        Self::digits(digest, dimension, base, out)?;
        target_sum(&out[..dimension], target)
    }
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
