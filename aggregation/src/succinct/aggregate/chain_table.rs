//! The linked hash-chain table: one width-16 row per chain position, one block of 8 rows per chain.
//!
//! Signature slot `s` owns rows `512·s .. 512·(s+1)`: 64 blocks, of which the first 46 are its chains
//! (the rest stay unused), so the chain index and the position of every row are fixed by the layout
//! and the tweaks are periodic columns of period 512. Row `r` of a block holds the chain value at
//! position `r` in the Poseidon input `[value(8) ‖ parameter(5) ‖ tweak(r + 1)(2) ‖ 0]`.
//!
//! Private columns: `sid` (the signature), `used` (the block is a real chain), `step` (row `r`'s
//! compression is a step of the walk) and `cnt` (inactive rows so far). Constraints:
//!
//! - `step` is boolean, non-decreasing within a block, and 1 on row 7, so the walk starts at position
//!   `digit = Σ (1 − step)` and runs to the end of the chain;
//! - `carry·(next_value − value − step·Perm(x)[..8]) = 0`: a step is the feed-forward compression, an
//!   inactive row copies (the value before the start is the signature's chain hash);
//! - `cnt` counts the inactive rows, so row 7's `cnt` is the digit; parameter, `sid` and `used` are
//!   constant within a block;
//! - row 7 of a used block receives `(sid, chain, digit, parameter)` from the signature table and sends
//!   the 8 end values to the leaf sponge as `(sid, 7 + 8·chain + e, value_e)`.

use core::borrow::Borrow;

use ndvt_xmss::primitives::{chain_tweak, compress, poseidon16};
use p3_air::{Air, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::{Count, InteractionBuilder, PermutationCheckBus};
use p3_matrix::dense::RowMajorMatrix;
use p3_uni_stark::SubAirBuilder;

use super::super::config::Val;
use super::super::poseidon_air::{
    POSEIDON16_COLUMNS, Poseidon16Air, Poseidon16Cols, WIDTH, output, poseidon16_air, poseidon16_trace,
};
use super::{CHAINS, DIGIT_BUS, LEAF_INPUT_BUS, SignerWitness, append_columns, periodic_table_base_air};

/// Rows per chain block: positions 0..=7.
pub(crate) const BLOCK: usize = 8;
/// Rows per signature slot: 64 blocks.
pub(crate) const SLOT_ROWS: usize = 64 * BLOCK;

const SID: usize = POSEIDON16_COLUMNS;
const USED: usize = SID + 1;
const STEP: usize = USED + 1;
const CNT: usize = STEP + 1;
// Committed copies of layout values that interactions read (p3-lookup 0.8 cannot read periodic columns).
const CHAIN_COL: usize = CNT + 1;
const END: usize = CHAIN_COL + 1;
/// Columns of the chain table.
pub(crate) const COLUMNS: usize = END + 1;

const TWEAK: usize = 0;
const CHAIN: usize = 2;
const FIRST: usize = 3;
const LAST: usize = 4;
const CARRY: usize = 5;
const PERIODIC: usize = 6;

/// The chain table's AIR for one epoch.
#[derive(Clone)]
pub(crate) struct ChainTable {
    poseidon: Poseidon16Air,
    periodic: Vec<Vec<Val>>,
}

impl ChainTable {
    pub(crate) fn new(epoch: u32) -> Self {
        let mut periodic = vec![vec![Val::ZERO; SLOT_ROWS]; PERIODIC];
        for row in 0..SLOT_ROWS {
            let (chain, r) = (row / BLOCK, row % BLOCK);
            if r + 1 < BLOCK {
                let tweak = chain_tweak(epoch, chain as u8, r as u8 + 1);
                periodic[TWEAK][row] = tweak[0];
                periodic[TWEAK + 1][row] = tweak[1];
                periodic[CARRY][row] = Val::ONE;
            }
            periodic[CHAIN][row] = Val::from_usize(chain);
            periodic[FIRST][row] = Val::from_bool(r == 0);
            periodic[LAST][row] = Val::from_bool(r + 1 == BLOCK);
        }
        ChainTable { poseidon: poseidon16_air(), periodic }
    }
}

periodic_table_base_air!(ChainTable);

impl<AB: InteractionBuilder<F = Val>> Air<AB> for ChainTable {
    fn eval(&self, builder: &mut AB) {
        {
            let mut sub = SubAirBuilder::<AB, Poseidon16Air, AB::Var>::new(builder, 0..POSEIDON16_COLUMNS);
            self.poseidon.eval(&mut sub);
        }
        let main = builder.main();
        let (row, next) = (main.current_slice(), main.next_slice());
        let local: &Poseidon16Cols<AB::Var> = row[..POSEIDON16_COLUMNS].borrow();
        let after: &Poseidon16Cols<AB::Var> = next[..POSEIDON16_COLUMNS].borrow();
        let p: Vec<AB::Expr> = builder.periodic_values().iter().map(|&v| v.into()).collect();
        let out = output(local);
        let (step, next_step): (AB::Expr, AB::Expr) = (row[STEP].into(), next[STEP].into());
        let carry = p[CARRY].clone();

        builder.assert_eq(local.inputs[13], p[TWEAK].clone());
        builder.assert_eq(local.inputs[14], p[TWEAK + 1].clone());
        builder.assert_zero(local.inputs[15]);
        builder.assert_bool(row[STEP]);
        builder.assert_bool(row[USED]);
        builder.assert_zero(p[LAST].clone() * (AB::Expr::ONE - step.clone()));
        builder.assert_zero(carry.clone() * step.clone() * (AB::Expr::ONE - next_step.clone()));
        builder.assert_zero(p[FIRST].clone() * (row[CNT].into() - (AB::Expr::ONE - step.clone())));
        builder
            .assert_zero(carry.clone() * (next[CNT].into() - row[CNT].into() - (AB::Expr::ONE - next_step)));
        for i in 0..8 {
            let value: AB::Expr = local.inputs[i].into();
            builder
                .assert_zero(carry.clone() * (after.inputs[i].into() - value - step.clone() * out[i].into()));
        }
        for i in 8..13 {
            builder.assert_zero(carry.clone() * (after.inputs[i].into() - local.inputs[i].into()));
        }
        for col in [SID, USED] {
            builder.assert_zero(carry.clone() * (next[col].into() - row[col].into()));
        }

        builder.assert_eq(row[CHAIN_COL], p[CHAIN].clone());
        builder.assert_eq(row[END], p[LAST].clone() * row[USED].into());
        let at_end: AB::Expr = row[END].into();
        let chain: AB::Expr = row[CHAIN_COL].into();
        let mut digit = vec![row[SID].into(), chain.clone(), row[CNT].into()];
        digit.extend(local.inputs[8..13].iter().map(|&v| v.into()));
        PermutationCheckBus::new(DIGIT_BUS).receive(builder, digit, Count::bounded(at_end.clone(), 1));
        let flat = chain * Val::from_u8(8) + Val::from_u8(7);
        for e in 0..8 {
            let fields = [row[SID].into(), flat.clone() + Val::from_usize(e), local.inputs[e].into()];
            PermutationCheckBus::new(LEAF_INPUT_BUS).send(builder, fields, Count::bounded(at_end.clone(), 1));
        }
    }
}

/// The trace for `signers` in `slots` slots (a power of two at least `signers.len()`).
pub(crate) fn chain_trace(signers: &[SignerWitness], slots: usize, epoch: u32) -> RowMajorMatrix<Val> {
    let height = slots * SLOT_ROWS;
    let mut inputs = vec![[Val::ZERO; WIDTH]; height];
    let mut extra = vec![[Val::ZERO; COLUMNS - SID]; height];
    for s in 0..slots {
        let signer = signers.get(s);
        for chain in 0..64 {
            let base = s * SLOT_ROWS + chain * BLOCK;
            let used = signer.is_some() && chain < CHAINS;
            let (digit, mut value, parameter) = match signer {
                Some(w) if chain < CHAINS => (usize::from(w.digits[chain]), w.hashes[chain], w.parameter),
                _ => (0, [Val::ZERO; 8], [Val::ZERO; 5]),
            };
            let mut cnt = 0u32;
            for r in 0..BLOCK {
                let step = r >= digit;
                cnt += u32::from(!step);
                let row = &mut inputs[base + r];
                row[..8].copy_from_slice(&value);
                row[8..13].copy_from_slice(&parameter);
                if r + 1 < BLOCK {
                    row[13..15].copy_from_slice(&chain_tweak(epoch, chain as u8, r as u8 + 1));
                    if step {
                        value = compress(poseidon16(), *row);
                    }
                }
                extra[base + r] = [
                    Val::from_usize(s),
                    Val::from_bool(used),
                    Val::from_bool(step),
                    Val::from_u32(cnt),
                    Val::from_usize(chain),
                    Val::from_bool(used && r + 1 == BLOCK),
                ];
            }
        }
    }
    append_columns(poseidon16_trace(inputs, 0), COLUMNS, |r, out| out.extend_from_slice(&extra[r]))
}

const _: () = assert!(CHAINS <= 64 && SLOT_ROWS == 512);
