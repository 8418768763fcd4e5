//! Poseidon1 over KoalaBear (widths 16 and 24) and the two modes leanSig builds from it.
//!
//! - compression: `Truncate(Perm(x) + x)`, the input zero-padded to the width;
//! - replacement sponge: capacity first, the rate part overwritten by each input chunk, no feed-forward.
//!
//! Both are generic over the ring `R` so that one definition serves scalar elements and packed SIMD lanes.
//! The permutations are built once per process and borrowed: leanSig clones them on every call.

use std::sync::LazyLock;

use p3_field::{Algebra, PrimeCharacteristicRing};
use p3_koala_bear::{Poseidon1KoalaBear, default_koalabear_poseidon1_16, default_koalabear_poseidon1_24};
use p3_symmetric::Permutation;

use crate::field::F;

/// The width-16 permutation: chain steps.
pub type Poseidon16 = Poseidon1KoalaBear<16>;
/// The width-24 permutation: Merkle nodes, leaf sponge, message hash.
pub type Poseidon24 = Poseidon1KoalaBear<24>;

static POSEIDON16: LazyLock<Poseidon16> = LazyLock::new(default_koalabear_poseidon1_16);
static POSEIDON24: LazyLock<Poseidon24> = LazyLock::new(default_koalabear_poseidon1_24);

/// The shared width-16 Poseidon1 instance (Plonky3's default KoalaBear constants).
pub fn poseidon16() -> &'static Poseidon16 {
    &POSEIDON16
}

/// The shared width-24 Poseidon1 instance (Plonky3's default KoalaBear constants).
pub fn poseidon24() -> &'static Poseidon24 {
    &POSEIDON24
}

/// Poseidon compression of a full-width state: `Truncate_OUT(Perm(x) + x)`.
#[inline]
pub fn compress<R, P, const WIDTH: usize, const OUT: usize>(perm: &P, input: [R; WIDTH]) -> [R; OUT]
where
    R: PrimeCharacteristicRing + Copy,
    P: Permutation<[R; WIDTH]>,
{
    const { assert!(OUT <= WIDTH) };
    let mut state = input;
    perm.permute_mut(&mut state);
    core::array::from_fn(|i| state[i] + input[i])
}

/// Width-24 replacement sponge with a capacity of `CAP` elements, absorbing `input` and squeezing `OUT`.
///
/// The final partial chunk is zero-padded; that is sound here because every caller hashes fixed-length input.
#[inline]
pub fn sponge24<R, P, const CAP: usize, const OUT: usize>(
    perm: &P,
    capacity: &[R; CAP],
    input: impl IntoIterator<Item = R>,
) -> [R; OUT]
where
    R: Algebra<F> + Copy,
    P: Permutation<[R; 24]>,
{
    const { assert!(CAP < 24 && OUT <= 24 - CAP) };
    let mut state = [R::ZERO; 24];
    state[..CAP].copy_from_slice(capacity);
    let mut filled = 0;
    for x in input {
        state[CAP + filled] = x;
        filled += 1;
        if filled == 24 - CAP {
            perm.permute_mut(&mut state);
            filled = 0;
        }
    }
    if filled > 0 {
        for s in &mut state[CAP + filled..] {
            *s = R::ZERO;
        }
        perm.permute_mut(&mut state);
    }
    core::array::from_fn(|i| state[CAP + i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use p3_field::PrimeField32;

    #[test]
    fn compress_adds_input_back() {
        let input: [F; 16] = core::array::from_fn(|i| F::from_u32(i as u32));
        let mut permuted = input;
        poseidon16().permute_mut(&mut permuted);
        let out: [F; 8] = compress(poseidon16(), input);
        for i in 0..8 {
            assert_eq!(out[i], permuted[i] + input[i]);
        }
    }

    #[test]
    fn packed_and_scalar_permutations_agree() {
        use crate::field::PackedF;
        use p3_field::PackedValue;
        let lanes = PackedF::WIDTH;
        let scalar: Vec<[F; 24]> =
            (0..lanes).map(|l| core::array::from_fn(|i| F::from_u32((l * 100 + i) as u32))).collect();
        let packed: [PackedF; 24] = core::array::from_fn(|i| PackedF::from_fn(|l| scalar[l][i]));
        let out: [PackedF; 8] = compress(poseidon24(), packed);
        for (l, s) in scalar.iter().enumerate() {
            let expected: [F; 8] = compress(poseidon24(), *s);
            let got: [u32; 8] = core::array::from_fn(|i| out[i].as_slice()[l].as_canonical_u32());
            assert_eq!(got, expected.map(|e| e.as_canonical_u32()));
        }
    }
}
