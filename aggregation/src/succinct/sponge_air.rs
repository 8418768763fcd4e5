//! The leaf-sponge table: one width-24 row per absorbed chunk, one block of rows per leaf.
//!
//! ndvt-xmss's leaf is the replacement sponge (capacity 9, rate 15, no feed-forward) over
//! `parameter ‖ tree_tweak(0, epoch) ‖ ends`, started from a capacity value fixed by the number of chains.
//! Row `k` of a block permutes `[capacity(9) ‖ chunk_k(15)]`; the chunks (zero-padded) and the initial
//! capacity are periodic columns computed by the verifier from the statement:
//!
//! - `chunk = inputs[9..24]` on every row;
//! - `start_sel · (inputs[..9] − initial_capacity) = 0`;
//! - `carry · (next_inputs[..9] − Perm(x)[..9]) = 0` (the capacity part carries over);
//! - `end_sel · (Perm(x)[9..17] − leaf) = 0`.

use std::borrow::Cow;

use core::borrow::Borrow;

use ndvt_xmss::primitives::{compress, poseidon24, tree_tweak};
use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_symmetric::Permutation;

use super::config::Val;
use super::leaf_sponge::{LeafInput, LeafStatement};
use super::poseidon_air::{
    POSEIDON24_COLUMNS, Poseidon24Air, Poseidon24Cols, WIDTH24, output24, poseidon24_air,
};

/// Capacity of the leaf sponge.
pub(crate) const CAPACITY: usize = 9;
/// Rate of the leaf sponge.
pub(crate) const RATE: usize = WIDTH24 - CAPACITY;

const CHUNK: usize = 0;
const START_SEL: usize = RATE;
const INITIAL: usize = START_SEL + 1;
const END_SEL: usize = INITIAL + CAPACITY;
const LEAF: usize = END_SEL + 1;
const CARRY: usize = LEAF + 8;
const PERIODIC_COLUMNS: usize = CARRY + 1;

/// Public values before the leaves: the number of chains, the number of leaves.
pub(crate) const HEADER_VALUES: usize = 2;

/// Public values per leaf for `dimension` chains: parameter (5), epoch as two 16-bit limbs, ends, leaf.
pub(crate) fn leaf_values(dimension: usize) -> usize {
    5 + 2 + 8 * dimension + 8
}

/// Permutations per leaf.
pub(crate) fn absorptions(dimension: usize) -> usize {
    (5 + 2 + 8 * dimension).div_ceil(RATE)
}

/// Trace height for `leaves` leaves of `dimension` chains.
pub(crate) fn trace_height(dimension: usize, leaves: usize) -> usize {
    leaves.next_power_of_two() * absorptions(dimension).next_power_of_two()
}

/// The sponge's initial capacity for `dimension` chains: the compression of the base-p digits of the
/// lengths `(5, 2, dimension, 8)` packed 32 bits apiece. Duplicated from ndvt-xmss (`leaf::sponge_capacity`
/// is crate-private there); the Devnet 4 test checks the resulting leaves against `ndvt_xmss::primitives::leaf`.
pub(crate) fn initial_capacity(dimension: usize) -> [Val; CAPACITY] {
    const P: u128 = 0x7f00_0001;
    let mut acc = [5u128, 2, dimension as u128, 8].iter().fold(0u128, |acc, &l| (acc << 32) | l);
    let digits: [Val; WIDTH24] = core::array::from_fn(|_| {
        let digit = (acc % P) as u32;
        acc /= P;
        Val::from_u32(digit)
    });
    compress(poseidon24(), digits)
}

/// The absorbed chunks of one leaf, zero-padded.
fn chunks(parameter: &[Val; 5], epoch: u32, ends: &[[Val; 8]]) -> Vec<[Val; RATE]> {
    let input: Vec<Val> =
        parameter.iter().chain(&tree_tweak(0, epoch)).chain(ends.iter().flatten()).copied().collect();
    input
        .chunks(RATE)
        .map(|c| {
            let mut chunk = [Val::ZERO; RATE];
            chunk[..c.len()].copy_from_slice(c);
            chunk
        })
        .collect()
}

/// The leaf-sponge AIR of one statement.
pub(crate) struct SpongeAir {
    poseidon: Poseidon24Air,
    periodic: Vec<Vec<Val>>,
    num_public_values: usize,
}

impl SpongeAir {
    /// The AIR for `statement` (assumed validated).
    pub(crate) fn new(statement: &LeafStatement) -> Self {
        let dimension = statement.dimension;
        let rows = absorptions(dimension);
        let block = rows.next_power_of_two();
        let mut periodic =
            vec![vec![Val::ZERO; trace_height(dimension, statement.leaves.len())]; PERIODIC_COLUMNS];
        let initial = initial_capacity(dimension);
        for (j, leaf) in statement.leaves.iter().enumerate() {
            let base = j * block;
            for (k, chunk) in chunks(&leaf.parameter, leaf.epoch, &leaf.ends).iter().enumerate() {
                for (i, &x) in chunk.iter().enumerate() {
                    periodic[CHUNK + i][base + k] = x;
                }
                if k + 1 < rows {
                    periodic[CARRY][base + k] = Val::ONE;
                }
            }
            periodic[START_SEL][base] = Val::ONE;
            periodic[END_SEL][base + rows - 1] = Val::ONE;
            for i in 0..CAPACITY {
                periodic[INITIAL + i][base] = initial[i];
            }
            for i in 0..8 {
                periodic[LEAF + i][base + rows - 1] = leaf.leaf[i];
            }
        }
        SpongeAir {
            poseidon: poseidon24_air(),
            periodic,
            num_public_values: HEADER_VALUES + leaf_values(dimension) * statement.leaves.len(),
        }
    }
}

impl BaseAir<Val> for SpongeAir {
    fn width(&self) -> usize {
        POSEIDON24_COLUMNS
    }

    fn main_next_row_columns(&self) -> Vec<usize> {
        (0..CAPACITY).collect()
    }

    fn max_constraint_degree(&self) -> Option<usize> {
        Some(3)
    }

    fn num_public_values(&self) -> usize {
        self.num_public_values
    }

    fn num_periodic_columns(&self) -> usize {
        PERIODIC_COLUMNS
    }

    fn periodic_columns(&self) -> Cow<'_, [Vec<Val>]> {
        Cow::Borrowed(&self.periodic)
    }
}

impl<AB: AirBuilder<F = Val>> Air<AB> for SpongeAir {
    fn eval(&self, builder: &mut AB) {
        self.poseidon.eval(builder);
        let main = builder.main();
        let local: &Poseidon24Cols<AB::Var> = main.current_slice().borrow();
        let next: &Poseidon24Cols<AB::Var> = main.next_slice().borrow();
        let p: Vec<AB::Expr> = builder.periodic_values().iter().map(|&v| v.into()).collect();
        let out = output24(local);
        for i in 0..RATE {
            builder.assert_eq(local.inputs[CAPACITY + i], p[CHUNK + i].clone());
        }
        for i in 0..CAPACITY {
            builder.assert_zero(p[START_SEL].clone() * (local.inputs[i].into() - p[INITIAL + i].clone()));
            builder.assert_zero(p[CARRY].clone() * (next.inputs[i].into() - out[i].into()));
        }
        for i in 0..8 {
            builder.assert_zero(p[END_SEL].clone() * (out[CAPACITY + i].into() - p[LEAF + i].clone()));
        }
    }
}

/// The permutation inputs of every row and the leaves (the sponge, run here on the trace's own rows).
pub(crate) fn sponge_rows(dimension: usize, inputs: &[LeafInput]) -> (Vec<[Val; WIDTH24]>, Vec<[Val; 8]>) {
    let rows = absorptions(dimension);
    let block = rows.next_power_of_two();
    let mut trace = vec![[Val::ZERO; WIDTH24]; trace_height(dimension, inputs.len())];
    let mut leaves = Vec::with_capacity(inputs.len());
    for (j, input) in inputs.iter().enumerate() {
        let mut capacity = initial_capacity(dimension);
        let mut state = [Val::ZERO; WIDTH24];
        for (k, chunk) in chunks(&input.parameter, input.epoch, &input.ends).iter().enumerate() {
            state[..CAPACITY].copy_from_slice(&capacity);
            state[CAPACITY..].copy_from_slice(chunk);
            trace[j * block + k] = state;
            poseidon24().permute_mut(&mut state);
            capacity.copy_from_slice(&state[..CAPACITY]);
        }
        leaves.push(core::array::from_fn(|i| state[CAPACITY + i]));
    }
    (trace, leaves)
}
