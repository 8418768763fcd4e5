//! The hash-chain table: one row per chain step, eight rows per walk.
//!
//! Row `r` of walk `j`'s block holds the chain value *before* step `r` in the Poseidon input
//! `[value(8) ‖ parameter(5) ‖ tweak(2) ‖ 0]`, and the Poseidon1 AIR proves the row's permutation. The walk's
//! public data enters through periodic columns that the verifier computes from the statement:
//!
//! | column | value at row `r` of walk `j` |
//! |---|---|
//! | `active` | 1 if `r < steps_j` (the row's compression is a step of the walk) |
//! | `tweak` | `chain_tweak(epoch, index_j, start_pos_j + r + 1)` when active, else 0 |
//! | `start_sel`, `start` | 1 and the start value on row 0 |
//! | `end_sel`, `end` | 1 and the end value on row 7 |
//! | `carry` (period 8) | 1 on rows 0..7, 0 on row 7: the next row continues this walk |
//!
//! Constraints, on every row: the parameter equals the public parameter, the last input is 0, the tweak
//! equals the periodic tweak, `start_sel·(value − start) = 0`, `end_sel·(value − end) = 0`, and
//! `carry·(next_value − value) = active·perm_out[..8]`, which is the feed-forward `value + Perm(x)[..8]` on
//! active rows and a copy on the others. Padding blocks have no selectors set and carry zeros.

use std::borrow::Cow;

use core::borrow::Borrow;

use ndvt_xmss::primitives::{chain_tweak, compress, poseidon16};
use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;

use super::chain_walk::ChainWalkStatement;
use super::config::Val;
use super::poseidon_air::{
    POSEIDON16_COLUMNS, Poseidon16Air, Poseidon16Cols, WIDTH, output, poseidon16_air, poseidon16_trace,
};

/// Rows per walk: walks of up to `BLOCK_ROWS − 1` steps fit one block.
pub const BLOCK_ROWS: usize = 8;

const ACTIVE: usize = 0;
const TWEAK: usize = 1;
const START_SEL: usize = 3;
const START: usize = 4;
const END_SEL: usize = 12;
const END: usize = 13;
const CARRY: usize = 21;
const PERIODIC_COLUMNS: usize = 22;

/// Public values before the walks: parameter (5), epoch as two 16-bit limbs, number of walks.
pub(crate) const HEADER_VALUES: usize = 8;
/// Public values per walk: chain index, start position, steps, start (8), end (8).
pub(crate) const WALK_VALUES: usize = 19;

/// The chain-walk AIR of one statement.
pub(crate) struct ChainAir {
    poseidon: Poseidon16Air,
    periodic: Vec<Vec<Val>>,
    num_public_values: usize,
}

/// Trace height for `walks` walks.
pub(crate) fn trace_height(walks: usize) -> usize {
    walks.next_power_of_two() * BLOCK_ROWS
}

impl ChainAir {
    /// The AIR for `statement` (assumed validated).
    pub(crate) fn new(statement: &ChainWalkStatement) -> Self {
        let height = trace_height(statement.walks.len());
        let mut periodic = vec![vec![Val::ZERO; height]; CARRY];
        for (j, walk) in statement.walks.iter().enumerate() {
            let base = j * BLOCK_ROWS;
            for r in 0..usize::from(walk.steps) {
                periodic[ACTIVE][base + r] = Val::ONE;
                let pos = walk.start_pos + r as u8 + 1;
                let tweak = chain_tweak(statement.epoch, walk.chain_index, pos);
                periodic[TWEAK][base + r] = tweak[0];
                periodic[TWEAK + 1][base + r] = tweak[1];
            }
            periodic[START_SEL][base] = Val::ONE;
            periodic[END_SEL][base + BLOCK_ROWS - 1] = Val::ONE;
            for i in 0..8 {
                periodic[START + i][base] = walk.start[i];
                periodic[END + i][base + BLOCK_ROWS - 1] = walk.end[i];
            }
        }
        let mut carry = vec![Val::ONE; BLOCK_ROWS];
        carry[BLOCK_ROWS - 1] = Val::ZERO;
        periodic.push(carry);
        debug_assert_eq!(periodic.len(), PERIODIC_COLUMNS);
        ChainAir {
            poseidon: poseidon16_air(),
            periodic,
            num_public_values: HEADER_VALUES + WALK_VALUES * statement.walks.len(),
        }
    }
}

impl BaseAir<Val> for ChainAir {
    fn width(&self) -> usize {
        POSEIDON16_COLUMNS
    }

    fn main_next_row_columns(&self) -> Vec<usize> {
        (0..8).collect()
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

impl<AB: AirBuilder<F = Val>> Air<AB> for ChainAir {
    fn eval(&self, builder: &mut AB) {
        self.poseidon.eval(builder);
        let main = builder.main();
        let local: &Poseidon16Cols<AB::Var> = main.current_slice().borrow();
        let next: &Poseidon16Cols<AB::Var> = main.next_slice().borrow();
        let p: Vec<AB::Expr> = builder.periodic_values().iter().map(|&v| v.into()).collect();
        let parameter: Vec<AB::Expr> = builder.public_values()[..5].iter().map(|&v| v.into()).collect();
        let out = output(local);
        for (i, param) in parameter.into_iter().enumerate() {
            builder.assert_eq(local.inputs[8 + i], param);
        }
        builder.assert_eq(local.inputs[13], p[TWEAK].clone());
        builder.assert_eq(local.inputs[14], p[TWEAK + 1].clone());
        builder.assert_zero(local.inputs[15]);
        for i in 0..8 {
            let value: AB::Expr = local.inputs[i].into();
            builder.assert_zero(p[START_SEL].clone() * (value.clone() - p[START + i].clone()));
            builder.assert_zero(p[END_SEL].clone() * (value.clone() - p[END + i].clone()));
            builder.assert_zero(
                p[CARRY].clone() * (next.inputs[i].into() - value) - p[ACTIVE].clone() * out[i].into(),
            );
        }
    }
}

/// The permutation inputs of every row, and the walks' end values, computed with ndvt-xmss's compression.
pub(crate) fn chain_rows(statement: &ChainWalkStatement) -> (Vec<[Val; WIDTH]>, Vec<[Val; 8]>) {
    let height = trace_height(statement.walks.len());
    let mut rows = vec![[Val::ZERO; WIDTH]; height];
    let mut ends = Vec::with_capacity(statement.walks.len());
    for (j, walk) in statement.walks.iter().enumerate() {
        let mut value = walk.start;
        for r in 0..BLOCK_ROWS {
            let row = &mut rows[j * BLOCK_ROWS + r];
            row[..8].copy_from_slice(&value);
            row[8..13].copy_from_slice(&statement.parameter);
            if r < usize::from(walk.steps) {
                let pos = walk.start_pos + r as u8 + 1;
                row[13..15].copy_from_slice(&chain_tweak(statement.epoch, walk.chain_index, pos));
                value = compress(poseidon16(), *row);
            }
        }
        ends.push(value);
    }
    // Padding blocks still need the public parameter: the parameter constraint holds on every row.
    for row in &mut rows[statement.walks.len() * BLOCK_ROWS..] {
        row[8..13].copy_from_slice(&statement.parameter);
    }
    (rows, ends)
}

/// The trace of `statement`'s rows.
pub(crate) fn chain_trace(rows: Vec<[Val; WIDTH]>, extra_capacity_bits: usize) -> RowMajorMatrix<Val> {
    poseidon16_trace(rows, extra_capacity_bits)
}
