//! The linked leaf-sponge table: one width-24 row per absorbed chunk, 25 consecutive rows per signature.
//!
//! The leaf is ndvt-xmss's replacement sponge (capacity 9, rate 15) over the 375 elements
//! `parameter(5) ‖ tree_tweak(0, epoch)(2) ‖ ends(46 × 8)`: 25 absorptions. Lane `ℓ` of a signature's
//! row `k` absorbs flat element `15k + ℓ`. The tweak is fixed by the epoch (a constant of this AIR);
//! every other element is received on the leaf-input bus as `(sid, flat index, value)`, from the signature
//! table (the parameter) and the chain table (the ends), so the sponge absorbs exactly the proven chain
//! ends of the signature `sid`.
//!
//! The table has no periodic columns (see `tweak_table`); its layout is committed and constrained:
//! `first` rows have `k = 0` and the fixed initial capacity and tweak; an active row that is not `last`
//! continues on the next row with the same `sid`, `k + 1` and its output capacity; every active row that is
//! not `first` follows one; `last` rows have `k = 24` and send `(sid, leaf)` to the Merkle table. A run
//! longer than 25 rows would receive flat elements past 374, which nobody sends.

use core::borrow::Borrow;

use ndvt_xmss::primitives::{poseidon24, tree_tweak};
use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::{Count, InteractionBuilder, PermutationCheckBus};
use p3_matrix::dense::RowMajorMatrix;
use p3_symmetric::Permutation;
use rayon::prelude::*;

use super::super::config::Val;
use super::super::poseidon_air::{
    POSEIDON24_COLUMNS, Poseidon24Air, Poseidon24Cols, WIDTH24, output24, poseidon24_air, poseidon24_trace,
};
use super::super::sponge_air::{CAPACITY, RATE, initial_capacity};
use super::runs::Run;
use super::{CHAINS, LEAF_BUS, LEAF_INPUT_BUS, SignerWitness, append_columns, eval_permutation};

/// Elements absorbed per leaf.
const ABSORBED: usize = 7 + 8 * CHAINS;
/// Absorptions (rows) per leaf.
pub(crate) const ABSORPTIONS: usize = ABSORBED.div_ceil(RATE);
/// Lanes of row 0 holding the tweak: fixed, not received.
const TWEAK_LANES: [usize; 2] = [5, 6];

const SID: usize = POSEIDON24_COLUMNS;
const ACTIVE: usize = SID + 1;
const FIRST: usize = ACTIVE + 1;
const LAST: usize = FIRST + 1;
const ROW: usize = LAST + 1;
/// Columns of the sponge table.
pub(crate) const COLUMNS: usize = ROW + 1;

/// Trace height for `signatures` signatures.
pub(crate) fn height(signatures: usize) -> usize {
    (ABSORPTIONS * signatures).next_power_of_two().max(2)
}

/// The sponge table's AIR for one epoch.
#[derive(Clone)]
pub(crate) struct SpongeTable {
    poseidon: Poseidon24Air,
    tweak: [Val; 2],
    initial: [Val; CAPACITY],
}

impl SpongeTable {
    pub(crate) fn new(epoch: u32) -> Self {
        SpongeTable {
            poseidon: poseidon24_air(),
            tweak: tree_tweak(0, epoch),
            initial: initial_capacity(CHAINS),
        }
    }
}

impl BaseAir<Val> for SpongeTable {
    fn width(&self) -> usize {
        COLUMNS
    }
}

impl<AB: InteractionBuilder<F = Val>> Air<AB> for SpongeTable {
    fn eval(&self, builder: &mut AB) {
        eval_permutation(builder, &self.poseidon, POSEIDON24_COLUMNS);
        let main = builder.main();
        let (row, next) = (main.current_slice(), main.next_slice());
        let local: &Poseidon24Cols<AB::Var> = row[..POSEIDON24_COLUMNS].borrow();
        let after: &Poseidon24Cols<AB::Var> = next[..POSEIDON24_COLUMNS].borrow();
        let out = output24(local);
        let col = |c: usize| -> AB::Expr { row[c].into() };
        let run = Run { active: ACTIVE, first: FIRST, last: LAST, sid: SID, counter: ROW };
        let carry = run.eval(builder, Some(0), ABSORPTIONS - 1);
        for i in 0..CAPACITY {
            builder.assert_zero(col(FIRST) * (local.inputs[i].into() - self.initial[i]));
        }
        for (lane, t) in TWEAK_LANES.into_iter().zip(self.tweak) {
            builder.assert_zero(col(FIRST) * (local.inputs[CAPACITY + lane].into() - t));
        }
        let mut t = builder.when_transition();
        for i in 0..CAPACITY {
            t.assert_zero(carry.clone() * (after.inputs[i].into() - out[i].into()));
        }

        for lane in 0..RATE {
            let flat = col(ROW) * Val::from_usize(RATE) + Val::from_usize(lane);
            let fields = [col(SID), flat, local.inputs[CAPACITY + lane].into()];
            let count = if TWEAK_LANES.contains(&lane) { col(ACTIVE) - col(FIRST) } else { col(ACTIVE) };
            PermutationCheckBus::new(LEAF_INPUT_BUS).receive(builder, fields, Count::bounded(count, 1));
        }
        let mut leaf = vec![col(SID)];
        leaf.extend(out[CAPACITY..CAPACITY + 8].iter().map(|&v| v.into()));
        PermutationCheckBus::new(LEAF_BUS).send(builder, leaf, Count::bounded(col(LAST), 1));
    }
}

/// The sponge table of `signers` at `epoch` (`height` rows), and each signer's leaf.
pub(crate) fn sponge_trace(
    signers: &[SignerWitness],
    height: usize,
    epoch: u32,
) -> (RowMajorMatrix<Val>, Vec<[Val; 8]>) {
    let height = height.max((ABSORPTIONS * signers.len()).next_power_of_two());
    let initial = initial_capacity(CHAINS);
    let tweak = tree_tweak(0, epoch);
    let per_signer: Vec<(Vec<[Val; WIDTH24]>, [Val; 8])> = signers
        .par_iter()
        .map(|w| {
            let flat: Vec<Val> =
                w.parameter.iter().chain(&tweak).chain(w.ends.iter().flatten()).copied().collect();
            let mut state = [Val::ZERO; WIDTH24];
            state[..CAPACITY].copy_from_slice(&initial);
            let mut rows = Vec::with_capacity(ABSORPTIONS);
            for chunk in flat.chunks_exact(RATE) {
                state[CAPACITY..].copy_from_slice(chunk);
                rows.push(state);
                poseidon24().permute_mut(&mut state);
            }
            (rows, core::array::from_fn(|i| state[CAPACITY + i]))
        })
        .collect();
    let mut inputs = Vec::with_capacity(height);
    let mut leaves = Vec::with_capacity(signers.len());
    for (rows, leaf) in per_signer {
        inputs.extend(rows);
        leaves.push(leaf);
    }
    let active = inputs.len();
    inputs.resize(height, [Val::ZERO; WIDTH24]);
    let trace = append_columns(poseidon24_trace(inputs, 0), COLUMNS, |r, out| {
        let (s, k) = (r / ABSORPTIONS, r % ABSORPTIONS);
        if r < active {
            out.copy_from_slice(&[
                Val::from_usize(s),
                Val::ONE,
                Val::from_bool(k == 0),
                Val::from_bool(k + 1 == ABSORPTIONS),
                Val::from_usize(k),
            ]);
        }
    });
    (trace, leaves)
}

const _: () = assert!(ABSORBED == ABSORPTIONS * RATE && TWEAK_LANES[0] == 5 && TWEAK_LANES[1] == 6);
