//! The tweak table: every tweak an epoch's verification uses, as two small lookup tables.
//!
//! The hash tables (chains, sponge, Merkle) carry no periodic columns: Plonky3 0.8 infers a table's
//! constraint degree by walking every constraint expression without sharing when the table has periodic
//! columns, which costs tens of milliseconds per Poseidon table on every proof and every verification.
//! Whatever depends on the epoch and a position is therefore looked up here instead:
//!
//! - chain steps look up `(chain, pos, chain_tweak(epoch, chain, pos))` for `chain < 46`, `1 ≤ pos ≤ 7`;
//! - Merkle rows look up `(level, bit, tree_tweak(level + 1, epoch >> (level + 1)))` for `level < 32`,
//!   where `bit` is bit `level` of the epoch.
//!
//! The entries are periodic columns the verifier computes from the epoch; the committed columns are their
//! copies (p3-lookup 0.8's interactions cannot read periodic columns) and one multiplicity per table, zero
//! on rows that hold no entry. A looked-up `pos` or `level` is therefore also range-checked: a chain cannot
//! step past position 7, and a path cannot run past level 31.

use std::borrow::Cow;

use ndvt_xmss::primitives::{chain_tweak, tree_tweak};
use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::{InteractionBuilder, LookupBus};
use p3_matrix::dense::RowMajorMatrix;

use super::super::config::Val;
use super::{CHAIN_TWEAK_BUS, CHAINS, DEPTH, LEVEL_BUS, TOP};

/// Elements of a chain entry `(chain, pos, tweak)` and of a level entry `(level, bit, tweak)`.
const ENTRY: usize = 4;
const CHAIN_ENTRY: usize = 0;
const CHAIN_USES: usize = CHAIN_ENTRY + ENTRY;
const LEVEL_ENTRY: usize = CHAIN_USES + 1;
const LEVEL_USES: usize = LEVEL_ENTRY + ENTRY;
/// Committed columns.
pub(crate) const COLUMNS: usize = LEVEL_USES + 1;

// Periodic columns: the two entries, then whether the row holds each.
const CHAIN_VALID: usize = 2 * ENTRY;
const LEVEL_VALID: usize = CHAIN_VALID + 1;
const PERIODIC: usize = LEVEL_VALID + 1;

/// Rows: one per chain step position, padded to a power of two.
pub(crate) const HEIGHT: usize = (CHAINS * TOP).next_power_of_two();

/// Row of the chain entry `(chain, pos)`.
pub(crate) fn chain_row(chain: usize, pos: usize) -> usize {
    chain * TOP + pos - 1
}

fn bit(epoch: u32, level: usize) -> Val {
    Val::from_bool((epoch >> level) & 1 == 1)
}

/// The entries of `epoch`, one `Vec` per periodic column.
fn entries(epoch: u32) -> Vec<Vec<Val>> {
    let mut periodic = vec![vec![Val::ZERO; HEIGHT]; PERIODIC];
    for chain in 0..CHAINS {
        for pos in 1..=TOP {
            let r = chain_row(chain, pos);
            let tweak = chain_tweak(epoch, chain as u8, pos as u8);
            let entry = [Val::from_usize(chain), Val::from_usize(pos), tweak[0], tweak[1]];
            for (i, x) in entry.into_iter().enumerate() {
                periodic[i][r] = x;
            }
            periodic[CHAIN_VALID][r] = Val::ONE;
        }
    }
    for level in 0..DEPTH {
        let tweak = tree_tweak(level as u8 + 1, (u64::from(epoch) >> (level + 1)) as u32);
        let entry = [Val::from_usize(level), bit(epoch, level), tweak[0], tweak[1]];
        for (i, x) in entry.into_iter().enumerate() {
            periodic[ENTRY + i][level] = x;
        }
        periodic[LEVEL_VALID][level] = Val::ONE;
    }
    periodic
}

/// The tweak table's AIR for one epoch.
#[derive(Clone)]
pub(crate) struct TweakTable {
    periodic: Vec<Vec<Val>>,
}

impl TweakTable {
    pub(crate) fn new(epoch: u32) -> Self {
        TweakTable { periodic: entries(epoch) }
    }
}

impl BaseAir<Val> for TweakTable {
    fn width(&self) -> usize {
        COLUMNS
    }

    fn num_periodic_columns(&self) -> usize {
        PERIODIC
    }

    fn periodic_columns(&self) -> Cow<'_, [Vec<Val>]> {
        Cow::Borrowed(&self.periodic)
    }
}

impl<AB: InteractionBuilder<F = Val>> Air<AB> for TweakTable {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let row = main.current_slice();
        let p: Vec<AB::Expr> = builder.periodic_values().iter().map(|&v| v.into()).collect();
        for i in 0..ENTRY {
            builder.assert_eq(row[CHAIN_ENTRY + i], p[i].clone());
            builder.assert_eq(row[LEVEL_ENTRY + i], p[ENTRY + i].clone());
        }
        let (chain_uses, level_uses): (AB::Expr, AB::Expr) = (row[CHAIN_USES].into(), row[LEVEL_USES].into());
        builder.assert_zero((AB::Expr::ONE - p[CHAIN_VALID].clone()) * chain_uses.clone());
        builder.assert_zero((AB::Expr::ONE - p[LEVEL_VALID].clone()) * level_uses.clone());
        let entry = |at: usize| row[at..at + ENTRY].iter().map(|&v| v.into()).collect::<Vec<AB::Expr>>();
        LookupBus::new(CHAIN_TWEAK_BUS).table_entry(builder, entry(CHAIN_ENTRY), chain_uses);
        LookupBus::new(LEVEL_BUS).table_entry(builder, entry(LEVEL_ENTRY), level_uses);
    }
}

/// The table for `epoch`, given how many chain steps use each chain entry (indexed by [`chain_row`]) and
/// how many Merkle rows use each level.
pub(crate) fn tweak_trace(epoch: u32, chain_uses: &[u32], level_uses: &[u32]) -> RowMajorMatrix<Val> {
    let periodic = entries(epoch);
    let mut values = Vec::with_capacity(HEIGHT * COLUMNS);
    for r in 0..HEIGHT {
        values.extend((0..ENTRY).map(|i| periodic[i][r]));
        values.push(Val::from_u32(chain_uses.get(r).copied().unwrap_or(0)));
        values.extend((0..ENTRY).map(|i| periodic[ENTRY + i][r]));
        values.push(Val::from_u32(level_uses.get(r).copied().unwrap_or(0)));
    }
    RowMajorMatrix::new(values, COLUMNS)
}

const _: () = assert!(DEPTH <= HEIGHT && CHAINS * TOP <= HEIGHT);
