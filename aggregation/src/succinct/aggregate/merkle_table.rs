//! The linked Merkle table: one width-24 row per tree level, 32 consecutive rows per signature.
//!
//! Row `l` of a path computes the parent at level `l + 1` from `[parameter(5) ‖ tree_tweak(l + 1,
//! epoch >> (l + 1))(2) ‖ left(8) ‖ right(8) ‖ 0]`; the current node is `left + bit·(right − left)` and
//! the sibling, a private witness, takes the other side. Every row looks up `(l, bit, tweak)` in the tweak
//! table, so the position bits and tweaks are the epoch's and `l ≤ 31`. A `first` row (`l = 0`) receives
//! `(sid, leaf)` from the sponge table; an active row that is not `last` continues on the next row with the
//! same `sid` and parameter, `l + 1`, and its compression as the next current node; every active row that
//! is not `first` follows one; a `last` row (`l = 31`) sends `(sid, parameter, root)` to the signature
//! table. The table has no periodic columns (see `tweak_table`).

use core::borrow::Borrow;

use ndvt_xmss::primitives::{compress, poseidon24, tree_tweak};
use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::{Count, InteractionBuilder, LookupBus, PermutationCheckBus};
use p3_matrix::dense::RowMajorMatrix;
use rayon::prelude::*;

use super::super::config::Val;
use super::super::poseidon_air::{
    POSEIDON24_COLUMNS, Poseidon24Air, Poseidon24Cols, WIDTH24, output24, poseidon24_air, poseidon24_trace,
};
use super::runs::Run;
use super::{DEPTH, LEAF_BUS, LEVEL_BUS, ROOT_BUS, SignerWitness, append_columns, eval_permutation};

const SID: usize = POSEIDON24_COLUMNS;
const ACTIVE: usize = SID + 1;
const FIRST: usize = ACTIVE + 1;
const LAST: usize = FIRST + 1;
const LEVEL: usize = LAST + 1;
const BIT: usize = LEVEL + 1;
/// Columns of the Merkle table.
pub(crate) const COLUMNS: usize = BIT + 1;

/// Trace height for `signatures` signatures.
pub(crate) fn height(signatures: usize) -> usize {
    (DEPTH * signatures).next_power_of_two().max(2)
}

/// The Merkle table's AIR.
#[derive(Clone)]
pub(crate) struct MerkleTable {
    poseidon: Poseidon24Air,
}

impl MerkleTable {
    pub(crate) fn new() -> Self {
        MerkleTable { poseidon: poseidon24_air() }
    }
}

impl BaseAir<Val> for MerkleTable {
    fn width(&self) -> usize {
        COLUMNS
    }
}

impl<AB: InteractionBuilder<F = Val>> Air<AB> for MerkleTable {
    fn eval(&self, builder: &mut AB) {
        eval_permutation(builder, &self.poseidon, POSEIDON24_COLUMNS);
        let main = builder.main();
        let (row, next) = (main.current_slice(), main.next_slice());
        let local: &Poseidon24Cols<AB::Var> = row[..POSEIDON24_COLUMNS].borrow();
        let after: &Poseidon24Cols<AB::Var> = next[..POSEIDON24_COLUMNS].borrow();
        let out = output24(local);
        let col = |c: usize| -> AB::Expr { row[c].into() };
        let run = Run { active: ACTIVE, first: FIRST, last: LAST, sid: SID, counter: LEVEL };
        let carry = run.eval(builder, Some(0), DEPTH - 1);
        builder.assert_bool(row[BIT]);
        builder.assert_zero(local.inputs[23]);

        let hash = |i: usize| -> AB::Expr { out[i].into() + local.inputs[i].into() };
        let mut t = builder.when_transition();
        for i in 0..5 {
            t.assert_zero(carry.clone() * (after.inputs[i].into() - local.inputs[i].into()));
        }
        for i in 0..8 {
            let (nl, nr): (AB::Expr, AB::Expr) = (after.inputs[7 + i].into(), after.inputs[15 + i].into());
            let next_current = nl.clone() + next[BIT].into() * (nr - nl);
            t.assert_zero(carry.clone() * (next_current - hash(i)));
        }

        let mut current = vec![col(SID)];
        let mut root = vec![col(SID)];
        root.extend(local.inputs[..5].iter().map(|&v| v.into()));
        for i in 0..8 {
            let (left, right): (AB::Expr, AB::Expr) =
                (local.inputs[7 + i].into(), local.inputs[15 + i].into());
            current.push(left.clone() + col(BIT) * (right - left));
            root.push(hash(i));
        }
        let level = [col(LEVEL), col(BIT), local.inputs[5].into(), local.inputs[6].into()];
        LookupBus::new(LEVEL_BUS).lookup_key(builder, level, Count::bounded(col(ACTIVE), 1));
        PermutationCheckBus::new(LEAF_BUS).receive(builder, current, Count::bounded(col(FIRST), 1));
        PermutationCheckBus::new(ROOT_BUS).send(builder, root, Count::bounded(col(LAST), 1));
    }
}

/// The Merkle table of `signers` (whose leaves are `leaves`) at `epoch`, at least `height` rows.
pub(crate) fn merkle_trace(
    signers: &[SignerWitness],
    leaves: &[[Val; 8]],
    height: usize,
    epoch: u32,
) -> RowMajorMatrix<Val> {
    let height = height.max((DEPTH * signers.len()).next_power_of_two());
    let tweaks: Vec<[Val; 2]> =
        (0..DEPTH).map(|l| tree_tweak(l as u8 + 1, (u64::from(epoch) >> (l + 1)) as u32)).collect();
    let per_signer: Vec<Vec<[Val; WIDTH24]>> = signers
        .par_iter()
        .zip(leaves)
        .map(|(w, leaf)| {
            let mut node = *leaf;
            let mut rows = Vec::with_capacity(DEPTH);
            for (l, sibling) in w.co_path.iter().take(DEPTH).enumerate() {
                let (left, right) = if (epoch >> l) & 1 == 0 { (node, *sibling) } else { (*sibling, node) };
                let mut row = [Val::ZERO; WIDTH24];
                row[..5].copy_from_slice(&w.parameter);
                row[5..7].copy_from_slice(&tweaks[l]);
                row[7..15].copy_from_slice(&left);
                row[15..23].copy_from_slice(&right);
                node = compress(poseidon24(), row);
                rows.push(row);
            }
            rows
        })
        .collect();
    let mut inputs: Vec<[Val; WIDTH24]> = per_signer.into_iter().flatten().collect();
    let active = inputs.len();
    inputs.resize(height, [Val::ZERO; WIDTH24]);
    append_columns(poseidon24_trace(inputs, 0), COLUMNS, |r, out| {
        let (s, l) = (r / DEPTH, r % DEPTH);
        if r < active {
            out.copy_from_slice(&[
                Val::from_usize(s),
                Val::ONE,
                Val::from_bool(l == 0),
                Val::from_bool(l + 1 == DEPTH),
                Val::from_usize(l),
                Val::from_bool((epoch >> l) & 1 == 1),
            ]);
        }
    })
}
