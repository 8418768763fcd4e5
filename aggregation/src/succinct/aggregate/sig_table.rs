//! The signature table: one row per signature, sorted by participant and member, plus idle rows.
//!
//! A row hashes the message, `[message(9) ‖ parameter(5) ‖ message_tweak(epoch)(2) ‖ rho(7) ‖ 0]`, and
//! decomposes the compression into 48 base-8 digits (the message-hash table's decomposition, which also
//! proves the no-abort bound); the first 46 digits must sum to the target 200. The message and the tweak
//! are public values. The row then
//!
//! - sends `(sid, chain, digit, parameter)` for each of the 46 chains to the chain table and the
//!   parameter's 5 elements to the leaf sponge (`(sid, k, parameter_k)`);
//! - receives `(sid, parameter, root)` from the Merkle table, so the signature's path ends at `root`;
//! - looks `(participant, member, threshold, parameter, root)` up in the key table, which holds exactly
//!   the statement's member keys: the key is member `member` of participant `participant`.
//!
//! Threshold accounting runs down the rows. `new` marks the first row of a participant; `participant`
//! starts at 0 and grows by `new`; within a participant `member` strictly increases (`gap` is a 4-bit
//! witness of `member − previous − 1`), so no member counts twice; `count` counts the run, and on a run's
//! last row `count − threshold` is a 4-bit `slack`, i.e. `count ≥ threshold`. Rows are active first, the
//! last row is idle, and the last active row belongs to participant `P − 1` (a public value), so every
//! participant `0..P` has a run.

use core::borrow::Borrow;

use ndvt_xmss::primitives::{compress, encode_message, message_tweak, poseidon24};
use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::{Count, InteractionBuilder, LookupBus, PermutationCheckBus};
use p3_matrix::dense::RowMajorMatrix;

use super::super::config::Val;
use super::super::message_air::{DECOMPOSITION_COLUMNS, ELEMENTS, decomposition_row, eval_decomposition};
use super::super::poseidon_air::{
    POSEIDON24_COLUMNS, Poseidon24Air, Poseidon24Cols, WIDTH24, output24, poseidon24_air, poseidon24_trace,
};
use super::{
    CHAINS, DIGIT_BUS, KEY_BUS, LEAF_INPUT_BUS, ROOT_BUS, SignerWitness, TARGET_SUM, eval_permutation,
};

const DECOMPOSITION: usize = POSEIDON24_COLUMNS;
const SID: usize = DECOMPOSITION + DECOMPOSITION_COLUMNS;
const ACTIVE: usize = SID + 1;
const NEW: usize = ACTIVE + 1;
const PART: usize = NEW + 1;
const MEMBER: usize = PART + 1;
const THRESHOLD: usize = MEMBER + 1;
const ROOT: usize = THRESHOLD + 1;
const COUNT: usize = ROOT + 8;
const GAP: usize = COUNT + 1;
const SLACK: usize = GAP + 4;
/// Columns of the signature table.
pub(crate) const COLUMNS: usize = SLACK + 4;

/// Public values: encoded message (9), message tweak (2), epoch as two 16-bit limbs, participants.
pub(crate) const PUBLIC_VALUES: usize = 14;

/// The signature table's public values.
pub(crate) fn public_values(message: &[u8; 32], epoch: u32, participants: usize) -> Vec<Val> {
    let mut pv = encode_message(message).to_vec();
    pv.extend(message_tweak(epoch));
    pv.extend([Val::from_u32(epoch & 0xffff), Val::from_u32(epoch >> 16), Val::from_usize(participants)]);
    pv
}

/// Trace height for `signatures` signatures: at least one idle row.
pub(crate) fn height(signatures: usize) -> usize {
    (signatures + 1).next_power_of_two()
}

/// The signature table's AIR.
#[derive(Clone)]
pub(crate) struct SigTable {
    poseidon: Poseidon24Air,
}

impl SigTable {
    pub(crate) fn new() -> Self {
        SigTable { poseidon: poseidon24_air() }
    }
}

impl BaseAir<Val> for SigTable {
    fn width(&self) -> usize {
        COLUMNS
    }

    fn num_public_values(&self) -> usize {
        PUBLIC_VALUES
    }
}

fn bits<E: PrimeCharacteristicRing, V: Copy + Into<E>>(cols: &[V]) -> E {
    cols.iter().rev().fold(E::ZERO, |acc, &b| acc.double() + b.into())
}

impl<AB: InteractionBuilder<F = Val>> Air<AB> for SigTable {
    fn eval(&self, builder: &mut AB) {
        eval_permutation(builder, &self.poseidon, POSEIDON24_COLUMNS);
        let main = builder.main();
        let (row, next) = (main.current_slice(), main.next_slice());
        let local: &Poseidon24Cols<AB::Var> = row[..POSEIDON24_COLUMNS].borrow();
        let pv: Vec<AB::Expr> = builder.public_values().iter().map(|&v| v.into()).collect();
        let out = output24(local);
        let one = AB::Expr::ONE;
        let active: AB::Expr = row[ACTIVE].into();
        let (next_active, next_new): (AB::Expr, AB::Expr) = (next[ACTIVE].into(), next[NEW].into());

        for i in 0..9 {
            builder.assert_eq(local.inputs[i], pv[i].clone());
        }
        builder.assert_eq(local.inputs[14], pv[9].clone());
        builder.assert_eq(local.inputs[15], pv[10].clone());
        builder.assert_zero(local.inputs[23]);
        let a: [AB::Expr; ELEMENTS] = core::array::from_fn(|e| out[e].into() + local.inputs[e].into());
        let digits = eval_decomposition(builder, &row[DECOMPOSITION..SID], a, active.clone());
        let sum = digits[..CHAINS].iter().fold(AB::Expr::ZERO, |acc, d| acc + d.clone());
        builder.assert_zero(active.clone() * (sum - Val::from_usize(TARGET_SUM)));

        for col in [ACTIVE, NEW].into_iter().chain(GAP..COLUMNS) {
            builder.assert_bool(row[col]);
        }
        builder.assert_zero((one.clone() - active.clone()) * (one.clone() - row[NEW].into()));
        builder.when_first_row().assert_one(row[ACTIVE]);
        builder.when_first_row().assert_zero(row[SID]);
        builder.when_first_row().assert_zero(row[PART]);
        builder.when_first_row().assert_one(row[COUNT]);
        builder.when_last_row().assert_zero(row[ACTIVE]);
        let gap: AB::Expr = bits(&next[GAP..SLACK]);
        let slack: AB::Expr = bits(&row[SLACK..COLUMNS]);
        let same = one.clone() - next_new.clone();
        let mut t = builder.when_transition();
        t.assert_zero((one.clone() - active.clone()) * next_active.clone());
        t.assert_eq(next[SID], row[SID].into() + one.clone());
        t.assert_zero(next_active.clone() * (next[PART].into() - row[PART].into() - next_new.clone()));
        t.assert_zero(
            next_active.clone()
                * same.clone()
                * (next[MEMBER].into() - row[MEMBER].into() - one.clone() - gap),
        );
        t.assert_zero(next_active.clone() * (next[COUNT].into() - one.clone() - same * row[COUNT].into()));
        t.assert_zero(active.clone() * next_new * (row[COUNT].into() - row[THRESHOLD].into() - slack));
        t.assert_zero(active.clone() * (one - next_active) * (row[PART].into() - pv[13].clone() + Val::ONE));

        let parameter: Vec<AB::Expr> = local.inputs[9..14].iter().map(|&v| v.into()).collect();
        let root: Vec<AB::Expr> = row[ROOT..ROOT + 8].iter().map(|&v| v.into()).collect();
        let sid: AB::Expr = row[SID].into();
        let count = || Count::bounded(active.clone(), 1);
        for (chain, digit) in digits.into_iter().take(CHAINS).enumerate() {
            let mut fields = vec![sid.clone(), AB::Expr::from_usize(chain), digit];
            fields.extend(parameter.iter().cloned());
            PermutationCheckBus::new(DIGIT_BUS).send(builder, fields, count());
        }
        for (k, x) in parameter.iter().enumerate() {
            let fields = [sid.clone(), AB::Expr::from_usize(k), x.clone()];
            PermutationCheckBus::new(LEAF_INPUT_BUS).send(builder, fields, count());
        }
        let mut from_path = vec![sid];
        from_path.extend(parameter.iter().cloned());
        from_path.extend(root.iter().cloned());
        PermutationCheckBus::new(ROOT_BUS).receive(builder, from_path, count());
        let mut key = vec![row[PART].into(), row[MEMBER].into(), row[THRESHOLD].into()];
        key.extend(parameter);
        key.extend(root);
        LookupBus::new(KEY_BUS).lookup_key(builder, key, count());
    }
}

/// The trace of `signers` (sorted by participant and member; `roots` their proven roots). `None` if a
/// message hash aborts.
pub(crate) fn sig_trace(
    signers: &[SignerWitness],
    message: &[u8; 32],
    epoch: u32,
) -> Option<RowMajorMatrix<Val>> {
    let height = height(signers.len());
    let mut inputs = vec![[Val::ZERO; WIDTH24]; height];
    for (s, input) in inputs.iter_mut().enumerate() {
        input[..9].copy_from_slice(&encode_message(message));
        input[14..16].copy_from_slice(&message_tweak(epoch));
        if let Some(w) = signers.get(s) {
            input[9..14].copy_from_slice(&w.parameter);
            input[16..23].copy_from_slice(&w.rho);
        }
    }
    let outputs: Vec<[Val; 8]> = inputs.iter().map(|x| compress(poseidon24(), *x)).collect();
    let perms = poseidon24_trace(inputs, 0);
    let mut values = Vec::with_capacity(height * COLUMNS);
    let mut count = 0u32;
    for (s, perm) in perms.values.chunks_exact(POSEIDON24_COLUMNS).enumerate() {
        values.extend_from_slice(perm);
        let w = signers.get(s);
        values.extend(decomposition_row(&outputs[s], w.is_some())?);
        let previous = s.checked_sub(1).and_then(|p| signers.get(p));
        let new = match (w, previous) {
            (Some(w), Some(prev)) => w.participant != prev.participant,
            _ => true,
        };
        count = if new { 1 } else { count + 1 };
        let Some(w) = w else {
            values.extend([Val::from_usize(s), Val::ZERO, Val::ONE]);
            values.extend([Val::ZERO; COLUMNS - PART]);
            continue;
        };
        let run_ends = signers.get(s + 1).is_none_or(|n| n.participant != w.participant);
        values.extend([Val::from_usize(s), Val::ONE, Val::from_bool(new)]);
        values.extend([w.participant, usize::from(w.member), usize::from(w.threshold)].map(Val::from_usize));
        values.extend_from_slice(&w.root);
        values.push(Val::from_u32(count));
        let gap = match previous {
            Some(prev) if !new => u32::from(w.member).wrapping_sub(u32::from(prev.member) + 1),
            _ => 0,
        };
        let slack = if run_ends { count.wrapping_sub(u32::from(w.threshold)) } else { 0 };
        values.extend((0..4).map(|b| Val::from_bool((gap >> b) & 1 == 1)));
        values.extend((0..4).map(|b| Val::from_bool((slack >> b) & 1 == 1)));
    }
    Some(RowMajorMatrix::new(values, COLUMNS))
}

const _: () = assert!(WIDTH24 == 24 && PUBLIC_VALUES == 9 + 2 + 2 + 1);
