//! The KoalaBear field and the fixed-size field arrays the scheme is built from.
//!
//! Every field element crosses the byte boundary as its canonical value in `[0, p)`, little-endian `u32`.
//! Decoding refuses any word `>= p`: leanSig reduces such words silently, which makes encodings malleable.

use p3_field::{PrimeCharacteristicRing, PrimeField32};

use crate::error::DecodeError;

/// The KoalaBear prime field, p = 2^31 - 2^24 + 1.
pub type F = p3_koala_bear::KoalaBear;

/// The packed KoalaBear type of this build: 16 lanes with AVX-512, 8 with AVX2 or NEON, 1 otherwise.
pub type PackedF = <F as p3_field::Field>::Packing;

/// The field modulus.
pub const P: u32 = 0x7f00_0001;

/// Field elements in one hash output (a Merkle node, a chain value).
pub const HASH_LEN: usize = 8;
/// Field elements in the public hash parameter.
pub const PARAMETER_LEN: usize = 5;
/// Field elements in a tweak.
pub const TWEAK_LEN: usize = 2;
/// Field elements in the signing randomness rho.
pub const RAND_LEN: usize = 7;
/// Field elements a 32-byte message is encoded into.
pub const MSG_LEN: usize = 9;
/// Bytes in one encoded field element.
pub const FE_BYTES: usize = 4;

/// A hash output: 8 field elements.
pub type Digest = [F; HASH_LEN];

/// Overwrites secret intermediate values (chain starts, PRF inputs and outputs) before their memory is freed
/// or reused. `black_box` keeps the compiler from eliding the stores as dead; the crate forbids `unsafe`, so
/// there are no volatile writes, and unlike `zeroize`'s element-wise volatile loop this stays a vectorized
/// fill, cheap enough for key generation's inner loop (one call per eight PRF evaluations).
pub(crate) fn wipe<T: Copy>(values: &mut [T], zero: T) {
    values.fill(zero);
    core::hint::black_box(values);
}
/// The public parameter of the tweakable hash: 5 field elements.
pub type Parameter = [F; PARAMETER_LEN];
/// The signing randomness: 7 field elements.
pub type Rho = [F; RAND_LEN];

/// Reduces a 128-bit integer modulo p.
#[inline]
pub(crate) fn from_u128(x: u128) -> F {
    F::from_u32((x % u128::from(P)) as u32)
}

/// Writes the `BASE`-`p` digits of `acc`, least significant first.
#[inline]
pub(crate) fn base_p_digits<const N: usize>(mut acc: u128) -> [F; N] {
    core::array::from_fn(|_| {
        let digit = (acc % u128::from(P)) as u32;
        acc /= u128::from(P);
        F::from_u32(digit)
    })
}

/// The two base-p digits of a value below p^2 (every tweak), without 128-bit division.
#[inline]
pub(crate) fn base_p_pair(acc: u64) -> [F; 2] {
    [F::from_u32((acc % u64::from(P)) as u32), F::from_u32((acc / u64::from(P)) as u32)]
}

/// Appends the canonical little-endian encoding of `elems`.
pub(crate) fn put_elems(out: &mut Vec<u8>, elems: &[F]) {
    for e in elems {
        out.extend_from_slice(&e.as_canonical_u32().to_le_bytes());
    }
}

/// Decodes `N` canonical field elements from exactly `4 N` bytes.
///
/// `what` names the field in the error, `first_index` numbers the element for the error message.
pub(crate) fn get_elems<const N: usize>(bytes: &[u8], what: &'static str) -> Result<[F; N], DecodeError> {
    if bytes.len() != N * FE_BYTES {
        return Err(DecodeError::Length { what, expected: N * FE_BYTES, got: bytes.len() });
    }
    let mut out = [F::ZERO; N];
    for (i, (slot, word)) in out.iter_mut().zip(bytes.chunks_exact(FE_BYTES)).enumerate() {
        let value = u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
        if value >= P {
            return Err(DecodeError::NonCanonicalFieldElement { what, index: i, value });
        }
        *slot = F::from_u32(value);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modulus_matches_plonky3() {
        assert_eq!(u64::from(P), <F as p3_field::PrimeField64>::ORDER_U64);
    }

    #[test]
    fn rejects_word_equal_to_p() {
        let mut bytes = vec![0u8; 8];
        bytes[4..].copy_from_slice(&P.to_le_bytes());
        let err = get_elems::<2>(&bytes, "x").unwrap_err();
        assert_eq!(err, DecodeError::NonCanonicalFieldElement { what: "x", index: 1, value: P });
    }

    #[test]
    fn accepts_p_minus_one_and_round_trips() {
        let bytes = (P - 1).to_le_bytes();
        let elems = get_elems::<1>(&bytes, "x").unwrap();
        let mut out = Vec::new();
        put_elems(&mut out, &elems);
        assert_eq!(out, bytes);
    }

    #[test]
    fn base_p_digits_of_p_squared_minus_one() {
        let p = u128::from(P);
        let digits = base_p_digits::<3>(p * p - 1);
        assert_eq!(digits.map(|d| d.as_canonical_u32()), [P - 1, P - 1, 0]);
    }
}
