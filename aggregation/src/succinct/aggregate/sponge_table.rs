//! The linked leaf-sponge table: one width-24 row per absorbed chunk, 32 rows per signature slot.
//!
//! The leaf is ndvt-xmss's replacement sponge (capacity 9, rate 15) over the 375 elements
//! `parameter(5) ‖ tree_tweak(0, epoch)(2) ‖ ends(46 × 8)`: 25 absorptions, rows 25..31 idle. Lane `ℓ` of
//! row `k` absorbs flat element `15k + ℓ`. The tweak is fixed by the epoch (a periodic column); every
//! other element is received on the leaf-input bus as `(sid, flat index, value)`, from the signature
//! table (the parameter) and the chain table (the ends), so the sponge absorbs exactly the proven chain
//! ends of the signature `sid`. Row 0 starts from the fixed initial capacity, the capacity carries from
//! row to row, and row 24 sends `(sid, leaf)` to the Merkle table.

use core::borrow::Borrow;

use ndvt_xmss::primitives::{poseidon24, tree_tweak};
use p3_air::{Air, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::{Count, InteractionBuilder, PermutationCheckBus};
use p3_matrix::dense::RowMajorMatrix;
use p3_symmetric::Permutation;
use p3_uni_stark::SubAirBuilder;

use super::super::config::Val;
use super::super::poseidon_air::{
    POSEIDON24_COLUMNS, Poseidon24Air, Poseidon24Cols, WIDTH24, output24, poseidon24_air, poseidon24_trace,
};
use super::super::sponge_air::{CAPACITY, RATE, initial_capacity};
use super::{CHAINS, LEAF_BUS, LEAF_INPUT_BUS, SignerWitness, append_columns, periodic_table_base_air};

/// Rows per signature slot.
pub(crate) const SLOT_ROWS: usize = 32;
/// Elements absorbed per leaf.
const ABSORBED: usize = 7 + 8 * CHAINS;
/// Absorptions per leaf.
const ABSORPTIONS: usize = ABSORBED.div_ceil(RATE);

const SID: usize = POSEIDON24_COLUMNS;
const USED: usize = SID + 1;
// Committed copies of layout values that interactions read (p3-lookup 0.8 cannot read periodic columns).
const ROW: usize = USED + 1;
const TAKE: usize = ROW + 1;
const OUT: usize = TAKE + RATE;
/// Columns of the sponge table.
pub(crate) const COLUMNS: usize = OUT + 1;

const FIRST: usize = 0;
const CARRY: usize = 1;
const BLOCK: usize = 2;
const LAST: usize = 3;
const INIT: usize = 4;
const RECV: usize = INIT + CAPACITY;
const FIXED: usize = RECV + RATE;
const ROW_INDEX: usize = FIXED + RATE;
const PERIODIC: usize = ROW_INDEX + 1;

/// Whether flat element `flat` arrives on the leaf-input bus (the parameter and the chain ends do; the
/// tweak and the padding are fixed).
fn receives(flat: usize) -> bool {
    flat < 5 || (7..ABSORBED).contains(&flat)
}

/// The sponge table's AIR for one epoch.
#[derive(Clone)]
pub(crate) struct SpongeTable {
    poseidon: Poseidon24Air,
    periodic: Vec<Vec<Val>>,
}

impl SpongeTable {
    pub(crate) fn new(epoch: u32) -> Self {
        let mut periodic = vec![vec![Val::ZERO; SLOT_ROWS]; PERIODIC];
        let tweak = tree_tweak(0, epoch);
        let initial = initial_capacity(CHAINS);
        for k in 0..SLOT_ROWS {
            periodic[FIRST][k] = Val::from_bool(k == 0);
            periodic[CARRY][k] = Val::from_bool(k + 1 < ABSORPTIONS);
            periodic[BLOCK][k] = Val::from_bool(k + 1 < SLOT_ROWS);
            periodic[LAST][k] = Val::from_bool(k + 1 == ABSORPTIONS);
            periodic[ROW_INDEX][k] = Val::from_usize(k);
            for lane in 0..RATE {
                let flat = k * RATE + lane;
                if receives(flat) {
                    periodic[RECV + lane][k] = Val::ONE;
                } else if flat == 5 || flat == 6 {
                    periodic[FIXED + lane][k] = tweak[flat - 5];
                }
            }
        }
        for i in 0..CAPACITY {
            periodic[INIT + i][0] = initial[i];
        }
        SpongeTable { poseidon: poseidon24_air(), periodic }
    }
}

periodic_table_base_air!(SpongeTable);

impl<AB: InteractionBuilder<F = Val>> Air<AB> for SpongeTable {
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

        for i in 0..CAPACITY {
            builder.assert_zero(p[FIRST].clone() * (local.inputs[i].into() - p[INIT + i].clone()));
            builder.assert_zero(p[CARRY].clone() * (after.inputs[i].into() - out[i].into()));
        }
        for lane in 0..RATE {
            let value: AB::Expr = local.inputs[CAPACITY + lane].into();
            builder.assert_zero((AB::Expr::ONE - p[RECV + lane].clone()) * (value - p[FIXED + lane].clone()));
        }
        builder.assert_bool(row[USED]);
        for col in [SID, USED] {
            builder.assert_zero(p[BLOCK].clone() * (next[col].into() - row[col].into()));
        }

        let used: AB::Expr = row[USED].into();
        builder.assert_eq(row[ROW], p[ROW_INDEX].clone());
        builder.assert_eq(row[OUT], p[LAST].clone() * used.clone());
        for lane in 0..RATE {
            builder.assert_eq(row[TAKE + lane], p[RECV + lane].clone() * used.clone());
        }
        for lane in 0..RATE {
            let flat = row[ROW].into() * Val::from_usize(RATE) + Val::from_usize(lane);
            let fields = [row[SID].into(), flat, local.inputs[CAPACITY + lane].into()];
            let count = Count::bounded(row[TAKE + lane].into(), 1);
            PermutationCheckBus::new(LEAF_INPUT_BUS).receive(builder, fields, count);
        }
        let mut leaf = vec![row[SID].into()];
        leaf.extend(out[CAPACITY..CAPACITY + 8].iter().map(|&v| v.into()));
        PermutationCheckBus::new(LEAF_BUS).send(builder, leaf, Count::bounded(row[OUT].into(), 1));
    }
}

/// The trace for `signers` in `slots` slots, and each signer's leaf.
pub(crate) fn sponge_trace(
    signers: &[SignerWitness],
    slots: usize,
    epoch: u32,
) -> (RowMajorMatrix<Val>, Vec<[Val; 8]>) {
    let height = slots * SLOT_ROWS;
    let mut inputs = vec![[Val::ZERO; WIDTH24]; height];
    let mut leaves = Vec::with_capacity(signers.len());
    let initial = initial_capacity(CHAINS);
    for s in 0..slots {
        let (parameter, ends) = match signers.get(s) {
            Some(w) => (w.parameter, w.ends.clone()),
            None => ([Val::ZERO; 5], vec![[Val::ZERO; 8]; CHAINS]),
        };
        let flat: Vec<Val> =
            parameter.iter().chain(&tree_tweak(0, epoch)).chain(ends.iter().flatten()).copied().collect();
        let mut state = [Val::ZERO; WIDTH24];
        state[..CAPACITY].copy_from_slice(&initial);
        for k in 0..ABSORPTIONS {
            state[CAPACITY..].copy_from_slice(&flat[k * RATE..(k + 1) * RATE]);
            inputs[s * SLOT_ROWS + k] = state;
            poseidon24().permute_mut(&mut state);
        }
        if s < signers.len() {
            leaves.push(core::array::from_fn(|i| state[CAPACITY + i]));
        }
    }
    let trace = append_columns(poseidon24_trace(inputs, 0), COLUMNS, |r, out| {
        let (s, k) = (r / SLOT_ROWS, r % SLOT_ROWS);
        let used = s < signers.len();
        out.extend([Val::from_usize(s), Val::from_bool(used), Val::from_usize(k)]);
        out.extend((0..RATE).map(|lane| Val::from_bool(used && receives(k * RATE + lane))));
        out.push(Val::from_bool(used && k + 1 == ABSORPTIONS));
    });
    (trace, leaves)
}

const _: () = assert!(ABSORBED == ABSORPTIONS * RATE && ABSORPTIONS <= SLOT_ROWS);
