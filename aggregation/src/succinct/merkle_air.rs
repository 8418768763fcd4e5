//! The Merkle-path table: one width-24 row per tree level, one block of rows per path.
//!
//! Row `l` of a path's block computes the parent at level `l + 1`: its Poseidon input is
//! `[parameter(5) ‖ tree_tweak(l + 1, position >> (l + 1))(2) ‖ left(8) ‖ right(8) ‖ 0]`, the current node
//! sitting on the left if bit `l` of the position is 0 and on the right otherwise (the sibling, a private
//! witness, takes the other side). Periodic columns, computed by the verifier from the statement, carry
//! the parameter, the tweak, the position bits, the leaf (row 0) and the root (row `depth − 1`):
//!
//! - `start_sel · (current − leaf) = 0`;
//! - `carry · (next_current − hash) = 0`, where `hash = Perm(x)[..8] + x[..8]` (the compression);
//! - `end_sel · (hash − root) = 0`.
//!
//! `current = left + bit·(right − left)` and `next_current` uses the next row's bit (a periodic column
//! shifted by one row), so every constraint stays within degree 3.

use std::borrow::Cow;

use core::borrow::Borrow;

use ndvt_xmss::primitives::{compress, poseidon24, tree_tweak};
use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::PrimeCharacteristicRing;

use super::config::Val;
use super::merkle_path::{MerkleOpening, MerklePathStatement};
use super::poseidon_air::{
    POSEIDON24_COLUMNS, Poseidon24Air, Poseidon24Cols, WIDTH24, output24, poseidon24_air,
};

const PARAM: usize = 0;
const TWEAK: usize = 5;
const BIT: usize = 7;
const NEXT_BIT: usize = 8;
const START_SEL: usize = 9;
const LEAF: usize = 10;
const END_SEL: usize = 18;
const ROOT: usize = 19;
const CARRY: usize = 27;
const PERIODIC_COLUMNS: usize = 28;

/// Public values before the paths: depth, number of paths.
pub(crate) const HEADER_VALUES: usize = 2;
/// Public values per path: parameter (5), position as two 16-bit limbs, leaf (8), root (8).
pub(crate) const PATH_VALUES: usize = 23;

/// Rows per path block.
pub(crate) fn block_rows(depth: u8) -> usize {
    usize::from(depth).next_power_of_two()
}

/// Trace height for `paths` paths of `depth` levels.
pub(crate) fn trace_height(depth: u8, paths: usize) -> usize {
    paths.next_power_of_two() * block_rows(depth)
}

fn bit(position: u32, level: usize) -> Val {
    Val::from_bool(level < 32 && (position >> level) & 1 == 1)
}

/// The Merkle-path AIR of one statement.
pub(crate) struct MerkleAir {
    poseidon: Poseidon24Air,
    periodic: Vec<Vec<Val>>,
    num_public_values: usize,
}

impl MerkleAir {
    /// The AIR for `statement` (assumed validated).
    pub(crate) fn new(statement: &MerklePathStatement) -> Self {
        let depth = usize::from(statement.depth);
        let rows = block_rows(statement.depth);
        let height = trace_height(statement.depth, statement.paths.len());
        let mut periodic = vec![vec![Val::ZERO; height]; PERIODIC_COLUMNS];
        for (j, path) in statement.paths.iter().enumerate() {
            let base = j * rows;
            for l in 0..depth {
                let row = base + l;
                for i in 0..5 {
                    periodic[PARAM + i][row] = path.parameter[i];
                }
                let tweak = tree_tweak(l as u8 + 1, (u64::from(path.position) >> (l + 1)) as u32);
                periodic[TWEAK][row] = tweak[0];
                periodic[TWEAK + 1][row] = tweak[1];
                periodic[BIT][row] = bit(path.position, l);
                if l + 1 < depth {
                    periodic[NEXT_BIT][row] = bit(path.position, l + 1);
                    periodic[CARRY][row] = Val::ONE;
                }
            }
            periodic[START_SEL][base] = Val::ONE;
            periodic[END_SEL][base + depth - 1] = Val::ONE;
            for i in 0..8 {
                periodic[LEAF + i][base] = path.leaf[i];
                periodic[ROOT + i][base + depth - 1] = path.root[i];
            }
        }
        MerkleAir {
            poseidon: poseidon24_air(),
            periodic,
            num_public_values: HEADER_VALUES + PATH_VALUES * statement.paths.len(),
        }
    }
}

impl BaseAir<Val> for MerkleAir {
    fn width(&self) -> usize {
        POSEIDON24_COLUMNS
    }

    fn main_next_row_columns(&self) -> Vec<usize> {
        (7..23).collect()
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

impl<AB: AirBuilder<F = Val>> Air<AB> for MerkleAir {
    fn eval(&self, builder: &mut AB) {
        self.poseidon.eval(builder);
        let main = builder.main();
        let local: &Poseidon24Cols<AB::Var> = main.current_slice().borrow();
        let next: &Poseidon24Cols<AB::Var> = main.next_slice().borrow();
        let p: Vec<AB::Expr> = builder.periodic_values().iter().map(|&v| v.into()).collect();
        let out = output24(local);
        for i in 0..7 {
            builder.assert_eq(local.inputs[i], p[PARAM + i].clone());
        }
        builder.assert_zero(local.inputs[23]);
        for i in 0..8 {
            let (left, right): (AB::Expr, AB::Expr) =
                (local.inputs[7 + i].into(), local.inputs[15 + i].into());
            let current = left.clone() + p[BIT].clone() * (right - left);
            let (nl, nr): (AB::Expr, AB::Expr) = (next.inputs[7 + i].into(), next.inputs[15 + i].into());
            let next_current = nl.clone() + p[NEXT_BIT].clone() * (nr - nl);
            let hash: AB::Expr = out[i].into() + local.inputs[i].into();
            builder.assert_zero(p[START_SEL].clone() * (current - p[LEAF + i].clone()));
            builder.assert_zero(p[END_SEL].clone() * (hash.clone() - p[ROOT + i].clone()));
            builder.assert_zero(p[CARRY].clone() * (next_current - hash));
        }
    }
}

/// The permutation inputs of every row and the roots the openings hash to (ndvt-xmss's compression).
pub(crate) fn merkle_rows(depth: u8, openings: &[MerkleOpening]) -> (Vec<[Val; WIDTH24]>, Vec<[Val; 8]>) {
    let rows = block_rows(depth);
    let mut inputs = vec![[Val::ZERO; WIDTH24]; trace_height(depth, openings.len())];
    let mut roots = Vec::with_capacity(openings.len());
    for (j, opening) in openings.iter().enumerate() {
        let mut current = opening.leaf;
        for (l, sibling) in opening.co_path.iter().enumerate() {
            let row = &mut inputs[j * rows + l];
            let (left, right) =
                if (opening.position >> l) & 1 == 0 { (current, *sibling) } else { (*sibling, current) };
            row[..5].copy_from_slice(&opening.parameter);
            row[5..7]
                .copy_from_slice(&tree_tweak(l as u8 + 1, (u64::from(opening.position) >> (l + 1)) as u32));
            row[7..15].copy_from_slice(&left);
            row[15..23].copy_from_slice(&right);
            current = compress(poseidon24(), *row);
        }
        roots.push(current);
    }
    (inputs, roots)
}

const _: () = assert!(PERIODIC_COLUMNS == CARRY + 1 && TWEAK == PARAM + 5);
