//! The linked Merkle table: one width-24 row per tree level, 32 rows per signature slot.
//!
//! Every signature in an aggregate is at the same epoch, so the leaf position, and with it each level's
//! tweak and position bit, is fixed by the layout (periodic columns of period 32). Row `l` computes the
//! parent at level `l + 1` from `[parameter(5) ‖ tree_tweak(l + 1, epoch >> (l + 1))(2) ‖ left(8) ‖
//! right(8) ‖ 0]`; the current node is `left + bit·(right − left)` and the sibling, a private witness,
//! takes the other side. Row 0 receives `(sid, leaf)` from the sponge table, each row's compression is the
//! next row's current node, the parameter, `sid` and `used` are constant within the slot, and row 31
//! sends `(sid, parameter, root)` to the signature table.

use core::borrow::Borrow;

use ndvt_xmss::primitives::{compress, poseidon24, tree_tweak};
use p3_air::{Air, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::{Count, InteractionBuilder, PermutationCheckBus};
use p3_matrix::dense::RowMajorMatrix;
use p3_uni_stark::SubAirBuilder;

use super::super::config::Val;
use super::super::poseidon_air::{
    POSEIDON24_COLUMNS, Poseidon24Air, Poseidon24Cols, WIDTH24, output24, poseidon24_air, poseidon24_trace,
};
use super::{DEPTH, LEAF_BUS, ROOT_BUS, SignerWitness, append_columns, periodic_table_base_air};

/// Rows per signature slot: one per level.
pub(crate) const SLOT_ROWS: usize = DEPTH;

const SID: usize = POSEIDON24_COLUMNS;
const USED: usize = SID + 1;
// Committed copies of layout values that interactions read (p3-lookup 0.8 cannot read periodic columns).
const IN: usize = USED + 1;
const OUT: usize = IN + 1;
const BIT_COL: usize = OUT + 1;
/// Columns of the Merkle table.
pub(crate) const COLUMNS: usize = BIT_COL + 1;

const TWEAK: usize = 0;
const BIT: usize = 2;
const NEXT_BIT: usize = 3;
const FIRST: usize = 4;
const CARRY: usize = 5;
const LAST: usize = 6;
const PERIODIC: usize = 7;

fn bit(epoch: u32, level: usize) -> Val {
    Val::from_bool(level < DEPTH && (epoch >> level) & 1 == 1)
}

/// The Merkle table's AIR for one epoch.
#[derive(Clone)]
pub(crate) struct MerkleTable {
    poseidon: Poseidon24Air,
    periodic: Vec<Vec<Val>>,
}

impl MerkleTable {
    pub(crate) fn new(epoch: u32) -> Self {
        let mut periodic = vec![vec![Val::ZERO; SLOT_ROWS]; PERIODIC];
        for l in 0..SLOT_ROWS {
            let tweak = tree_tweak(l as u8 + 1, (u64::from(epoch) >> (l + 1)) as u32);
            periodic[TWEAK][l] = tweak[0];
            periodic[TWEAK + 1][l] = tweak[1];
            periodic[BIT][l] = bit(epoch, l);
            periodic[NEXT_BIT][l] = bit(epoch, l + 1);
            periodic[FIRST][l] = Val::from_bool(l == 0);
            periodic[CARRY][l] = Val::from_bool(l + 1 < SLOT_ROWS);
            periodic[LAST][l] = Val::from_bool(l + 1 == SLOT_ROWS);
        }
        MerkleTable { poseidon: poseidon24_air(), periodic }
    }
}

periodic_table_base_air!(MerkleTable);

impl<AB: InteractionBuilder<F = Val>> Air<AB> for MerkleTable {
    fn eval(&self, builder: &mut AB) {
        {
            let mut sub = SubAirBuilder::<AB, Poseidon24Air, AB::Var>::new(builder, 0..POSEIDON24_COLUMNS);
            self.poseidon.eval(&mut sub);
        }
        let main = builder.main();
        let (row, next) = (main.current_slice(), main.next_slice());
        let local: &Poseidon24Cols<AB::Var> = row[..POSEIDON24_COLUMNS].borrow();
        let after: &Poseidon24Cols<AB::Var> = next[..POSEIDON24_COLUMNS].borrow();
        let p: Vec<AB::Expr> = builder.periodic_values().iter().map(|&v| v.into()).collect();
        let out = output24(local);
        let carry = p[CARRY].clone();

        builder.assert_eq(local.inputs[5], p[TWEAK].clone());
        builder.assert_eq(local.inputs[6], p[TWEAK + 1].clone());
        builder.assert_zero(local.inputs[23]);
        builder.assert_bool(row[USED]);
        for i in 0..5 {
            builder.assert_zero(carry.clone() * (after.inputs[i].into() - local.inputs[i].into()));
        }
        for col in [SID, USED] {
            builder.assert_zero(carry.clone() * (next[col].into() - row[col].into()));
        }
        builder.assert_eq(row[BIT_COL], p[BIT].clone());
        let mut current = vec![row[SID].into()];
        let mut root = vec![row[SID].into()];
        root.extend(local.inputs[..5].iter().map(|&v| v.into()));
        for i in 0..8 {
            let (left, right): (AB::Expr, AB::Expr) =
                (local.inputs[7 + i].into(), local.inputs[15 + i].into());
            current.push(left.clone() + row[BIT_COL].into() * (right - left));
            let (nl, nr): (AB::Expr, AB::Expr) = (after.inputs[7 + i].into(), after.inputs[15 + i].into());
            let next_current = nl.clone() + p[NEXT_BIT].clone() * (nr - nl);
            let hash: AB::Expr = out[i].into() + local.inputs[i].into();
            builder.assert_zero(carry.clone() * (next_current - hash.clone()));
            root.push(hash);
        }
        let used: AB::Expr = row[USED].into();
        builder.assert_eq(row[IN], p[FIRST].clone() * used.clone());
        builder.assert_eq(row[OUT], p[LAST].clone() * used);
        PermutationCheckBus::new(LEAF_BUS).receive(builder, current, Count::bounded(row[IN].into(), 1));
        PermutationCheckBus::new(ROOT_BUS).send(builder, root, Count::bounded(row[OUT].into(), 1));
    }
}

/// The trace for `signers` (whose leaves are `leaves`) in `slots` slots.
pub(crate) fn merkle_trace(
    signers: &[SignerWitness],
    leaves: &[[Val; 8]],
    slots: usize,
    epoch: u32,
) -> RowMajorMatrix<Val> {
    let mut inputs = vec![[Val::ZERO; WIDTH24]; slots * SLOT_ROWS];
    for s in 0..slots {
        let (parameter, mut node, co_path) = match (signers.get(s), leaves.get(s)) {
            (Some(w), Some(leaf)) => (w.parameter, *leaf, w.co_path.clone()),
            _ => ([Val::ZERO; 5], [Val::ZERO; 8], vec![[Val::ZERO; 8]; DEPTH]),
        };
        for (l, sibling) in co_path.iter().enumerate() {
            let row = &mut inputs[s * SLOT_ROWS + l];
            let (left, right) = if (epoch >> l) & 1 == 0 { (node, *sibling) } else { (*sibling, node) };
            row[..5].copy_from_slice(&parameter);
            row[5..7].copy_from_slice(&tree_tweak(l as u8 + 1, (u64::from(epoch) >> (l + 1)) as u32));
            row[7..15].copy_from_slice(&left);
            row[15..23].copy_from_slice(&right);
            node = compress(poseidon24(), *row);
        }
    }
    append_columns(poseidon24_trace(inputs, 0), COLUMNS, |r, out| {
        let (s, l) = (r / SLOT_ROWS, r % SLOT_ROWS);
        let used = s < signers.len();
        out.extend([Val::from_usize(s), Val::from_bool(used)]);
        out.extend([Val::from_bool(used && l == 0), Val::from_bool(used && l + 1 == SLOT_ROWS)]);
        out.push(bit(epoch, l));
    })
}
