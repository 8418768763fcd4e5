//! The width-16 and width-24 Poseidon1 permutations as AIRs: one permutation per trace row.
//!
//! The constraints and the trace layout are Plonky3's `p3-poseidon1-air`; the constants are the ones
//! `p3-koala-bear` builds `default_koalabear_poseidon1_16` and `_24` from (leanSig's chain hash and its
//! tree, leaf and message hash), read through that crate's public API, so the AIRs prove exactly the
//! permutations ndvt-xmss computes.

use p3_koala_bear::{
    KOALABEAR_POSEIDON_HALF_FULL_ROUNDS, KOALABEAR_POSEIDON_PARTIAL_ROUNDS_16,
    KOALABEAR_POSEIDON_PARTIAL_ROUNDS_24, KOALABEAR_POSEIDON1_RC_16, KOALABEAR_POSEIDON1_RC_24,
    KOALABEAR_S_BOX_DEGREE, MDSKoalaBearData,
};
use p3_matrix::dense::RowMajorMatrix;
use p3_monty_31::MDSUtils;
use p3_poseidon1::Poseidon1Constants;
use p3_poseidon1_air::{Poseidon1Air, Poseidon1Cols, generate_trace_rows, num_cols};

use super::config::Val;

/// State width of the chain-step permutation.
pub const WIDTH: usize = 16;
/// KoalaBear's S-box is x^3: no intermediate register is needed for a degree-3 constraint.
pub(crate) const SBOX_DEGREE: u64 = KOALABEAR_S_BOX_DEGREE;
pub(crate) const SBOX_REGISTERS: usize = 0;
pub(crate) const HALF_FULL_ROUNDS: usize = KOALABEAR_POSEIDON_HALF_FULL_ROUNDS;
pub(crate) const PARTIAL_ROUNDS: usize = KOALABEAR_POSEIDON_PARTIAL_ROUNDS_16;

/// The Poseidon1 width-16 AIR over KoalaBear.
pub type Poseidon16Air =
    Poseidon1Air<Val, WIDTH, SBOX_DEGREE, SBOX_REGISTERS, HALF_FULL_ROUNDS, PARTIAL_ROUNDS>;

/// The columns of one row of [`Poseidon16Air`].
pub type Poseidon16Cols<T> =
    Poseidon1Cols<T, WIDTH, SBOX_DEGREE, SBOX_REGISTERS, HALF_FULL_ROUNDS, PARTIAL_ROUNDS>;

/// Columns in one row of [`Poseidon16Air`].
pub const POSEIDON16_COLUMNS: usize =
    num_cols::<WIDTH, SBOX_DEGREE, SBOX_REGISTERS, HALF_FULL_ROUNDS, PARTIAL_ROUNDS>();

fn constants() -> Poseidon1Constants<Val, WIDTH> {
    Poseidon1Constants {
        rounds_f: 2 * HALF_FULL_ROUNDS,
        rounds_p: PARTIAL_ROUNDS,
        mds_circ_col: <MDSKoalaBearData as MDSUtils>::MATRIX_CIRC_MDS_16_COL,
        round_constants: KOALABEAR_POSEIDON1_RC_16.to_vec(),
    }
}

/// The AIR of leanSig's width-16 permutation.
pub fn poseidon16_air() -> Poseidon16Air {
    let (full, partial) = constants().to_optimized();
    Poseidon16Air::new(full, partial)
}

/// One trace row per input; `inputs.len()` must be a power of two (callers pad).
pub(crate) fn poseidon16_trace(inputs: Vec<[Val; WIDTH]>, extra_capacity_bits: usize) -> RowMajorMatrix<Val> {
    let (full, partial) = constants().to_optimized();
    generate_trace_rows::<Val, WIDTH, SBOX_DEGREE, SBOX_REGISTERS, HALF_FULL_ROUNDS, PARTIAL_ROUNDS>(
        inputs,
        &full,
        &partial,
        extra_capacity_bits,
    )
}

/// The permutation output held in a row: the post-state of the last full round.
pub(crate) fn output<T: Copy>(row: &Poseidon16Cols<T>) -> [T; WIDTH] {
    row.ending_full_rounds[HALF_FULL_ROUNDS - 1].post
}

/// State width of the tree, leaf and message permutation.
pub const WIDTH24: usize = 24;
pub(crate) const PARTIAL_ROUNDS_24: usize = KOALABEAR_POSEIDON_PARTIAL_ROUNDS_24;

/// The Poseidon1 width-24 AIR over KoalaBear.
pub type Poseidon24Air =
    Poseidon1Air<Val, WIDTH24, SBOX_DEGREE, SBOX_REGISTERS, HALF_FULL_ROUNDS, PARTIAL_ROUNDS_24>;

/// The columns of one row of [`Poseidon24Air`].
pub type Poseidon24Cols<T> =
    Poseidon1Cols<T, WIDTH24, SBOX_DEGREE, SBOX_REGISTERS, HALF_FULL_ROUNDS, PARTIAL_ROUNDS_24>;

/// Columns in one row of [`Poseidon24Air`].
pub const POSEIDON24_COLUMNS: usize =
    num_cols::<WIDTH24, SBOX_DEGREE, SBOX_REGISTERS, HALF_FULL_ROUNDS, PARTIAL_ROUNDS_24>();

fn constants24() -> Poseidon1Constants<Val, WIDTH24> {
    Poseidon1Constants {
        rounds_f: 2 * HALF_FULL_ROUNDS,
        rounds_p: PARTIAL_ROUNDS_24,
        mds_circ_col: <MDSKoalaBearData as MDSUtils>::MATRIX_CIRC_MDS_24_COL,
        round_constants: KOALABEAR_POSEIDON1_RC_24.to_vec(),
    }
}

/// The AIR of leanSig's width-24 permutation.
pub fn poseidon24_air() -> Poseidon24Air {
    let (full, partial) = constants24().to_optimized();
    Poseidon24Air::new(full, partial)
}

/// One trace row per input; `inputs.len()` must be a power of two (callers pad).
pub(crate) fn poseidon24_trace(
    inputs: Vec<[Val; WIDTH24]>,
    extra_capacity_bits: usize,
) -> RowMajorMatrix<Val> {
    let (full, partial) = constants24().to_optimized();
    generate_trace_rows::<Val, WIDTH24, SBOX_DEGREE, SBOX_REGISTERS, HALF_FULL_ROUNDS, PARTIAL_ROUNDS_24>(
        inputs,
        &full,
        &partial,
        extra_capacity_bits,
    )
}

/// The permutation output held in a width-24 row.
pub(crate) fn output24<T: Copy>(row: &Poseidon24Cols<T>) -> [T; WIDTH24] {
    row.ending_full_rounds[HALF_FULL_ROUNDS - 1].post
}

#[cfg(test)]
mod tests {
    use core::borrow::Borrow;

    use ndvt_xmss::primitives::{poseidon16, poseidon24};
    use p3_field::PrimeCharacteristicRing;
    use p3_matrix::Matrix;
    use p3_symmetric::Permutation;

    use super::*;

    #[test]
    fn trace_output_is_the_xmss_permutation() {
        let inputs: Vec<[Val; WIDTH]> = (0..8u32)
            .map(|k| core::array::from_fn(|i| Val::from_u32(k * 1_000_003 + (i as u32) * 7_919)))
            .collect();
        let trace = poseidon16_trace(inputs.clone(), 0);
        assert_eq!(trace.width(), POSEIDON16_COLUMNS);
        for (r, input) in inputs.iter().enumerate() {
            let mut expected = *input;
            poseidon16().permute_mut(&mut expected);
            let row = trace.row_slice(r).unwrap();
            let cols: &Poseidon16Cols<Val> = (*row).borrow();
            assert_eq!(cols.inputs, *input);
            assert_eq!(output(cols), expected, "row {r}");
        }
    }

    #[test]
    fn width24_trace_output_is_the_xmss_permutation() {
        let inputs: Vec<[Val; WIDTH24]> = (0..8u32)
            .map(|k| core::array::from_fn(|i| Val::from_u32(k * 999_983 + (i as u32) * 104_729)))
            .collect();
        let trace = poseidon24_trace(inputs.clone(), 0);
        assert_eq!(trace.width(), POSEIDON24_COLUMNS);
        p3_air::check_constraints(&poseidon24_air(), &trace, &[]);
        for (r, input) in inputs.iter().enumerate() {
            let mut expected = *input;
            poseidon24().permute_mut(&mut expected);
            let row = trace.row_slice(r).unwrap();
            let cols: &Poseidon24Cols<Val> = (*row).borrow();
            assert_eq!(output24(cols), expected, "row {r}");
        }
    }

    #[test]
    fn trace_satisfies_the_air() {
        let inputs: Vec<[Val; WIDTH]> =
            (0..4u32).map(|k| core::array::from_fn(|i| Val::from_u32(k + i as u32))).collect();
        p3_air::check_constraints(&poseidon16_air(), &poseidon16_trace(inputs, 0), &[]);
    }
}
