//! The linked hash-chain table: one width-16 row per chain step, and nothing else.
//!
//! A signature's chain `c` starts at its codeword digit `d_c` and takes `7 − d_c` steps to the chain end;
//! the target sum fixes the total at [`STEPS`] = 46·7 − 200 = 122 steps per signature, so the table holds
//! `122·signatures` real rows, padded to a power of two. (A layout with a fixed block per chain position
//! needs 8 rows per chain, 368 per signature, three times as many.) Rows of one chain are consecutive and
//! ordered by position; the row stepping to position `pos` holds `[value(8) ‖ parameter(5) ‖
//! chain_tweak(epoch, c, pos)(2) ‖ 0]`, whose compression is the next row's value.
//!
//! Private columns: `sid`, `active`, `start` and `end` (a chain's first and last step), `chain`, `pos`,
//! and the send slot: `z` (the row also carries a chain with no steps), `send_chain`, `send(8)`.
//! Constraints and lookups:
//!
//! - a `start` row receives `(sid, chain, pos − 1, parameter)` from the signature table on the digit bus:
//!   the walk begins right after the digit;
//! - an active row that is not an `end` continues on the next row: same `sid`, `chain` and parameter,
//!   `pos + 1`, value = this row's compression; every active row that is not a `start` follows one;
//! - every active row looks up `(chain, pos, tweak)` in the tweak table, which also bounds `pos ≤ 7` and
//!   `chain < 46`; an `end` row has `pos = 7`;
//! - the send slot sends 8 elements `(sid, 7 + 8·send_chain + e, send_e)` to the leaf sponge: on an `end`
//!   row they are the compression, i.e. the chain end; on a `z` row they are the end of a chain whose
//!   digit is 7 (the signature's own hash), and the row receives `(sid, send_chain, 7, parameter)` so the
//!   digit bus vouches that the chain takes no step. A chain therefore reaches the sponge exactly once,
//!   whatever its digit.

use core::borrow::Borrow;

use ndvt_xmss::primitives::{chain_tweak, walk_all};
use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::{PrimeCharacteristicRing, PrimeField32};
use p3_lookup::{Count, InteractionBuilder, LookupBus, PermutationCheckBus};
use p3_matrix::dense::RowMajorMatrix;
use rayon::prelude::*;

use super::super::config::Val;
use super::super::poseidon_air::{
    POSEIDON16_COLUMNS, Poseidon16Air, Poseidon16Cols, WIDTH, output, poseidon16_air, poseidon16_trace,
};
use super::runs::Run;
use super::tweak_table::chain_row;
use super::{
    CHAIN_TWEAK_BUS, CHAINS, DIGIT_BUS, LEAF_INPUT_BUS, SignerWitness, TARGET_SUM, TOP, append_columns,
    eval_permutation,
};

/// Chain steps per signature (fixed by the target sum).
pub(crate) const STEPS: usize = CHAINS * TOP - TARGET_SUM;

const SID: usize = POSEIDON16_COLUMNS;
const ACTIVE: usize = SID + 1;
const START: usize = ACTIVE + 1;
const END: usize = START + 1;
const CHAIN: usize = END + 1;
const POS: usize = CHAIN + 1;
const Z: usize = POS + 1;
const SEND_CHAIN: usize = Z + 1;
const SEND: usize = SEND_CHAIN + 1;
/// Columns of the chain table.
pub(crate) const COLUMNS: usize = SEND + 8;

/// Trace height for `signatures` signatures.
pub(crate) fn height(signatures: usize) -> usize {
    (STEPS * signatures).next_power_of_two().max(2)
}

/// The chain table's AIR.
#[derive(Clone)]
pub(crate) struct ChainTable {
    poseidon: Poseidon16Air,
}

impl ChainTable {
    pub(crate) fn new() -> Self {
        ChainTable { poseidon: poseidon16_air() }
    }
}

impl BaseAir<Val> for ChainTable {
    fn width(&self) -> usize {
        COLUMNS
    }
}

impl<AB: InteractionBuilder<F = Val>> Air<AB> for ChainTable {
    fn eval(&self, builder: &mut AB) {
        eval_permutation(builder, &self.poseidon, POSEIDON16_COLUMNS);
        let main = builder.main();
        let (row, next) = (main.current_slice(), main.next_slice());
        let local: &Poseidon16Cols<AB::Var> = row[..POSEIDON16_COLUMNS].borrow();
        let after: &Poseidon16Cols<AB::Var> = next[..POSEIDON16_COLUMNS].borrow();
        let out = output(local);
        let one = AB::Expr::ONE;
        let col = |c: usize| -> AB::Expr { row[c].into() };
        let hash = |i: usize| -> AB::Expr { out[i].into() + local.inputs[i].into() };
        let run = Run { active: ACTIVE, first: START, last: END, sid: SID, counter: POS };
        // The first position is whatever the digit bus pins; a chain ends at position 7.
        let carry = run.eval(builder, None, TOP);
        builder.assert_bool(row[Z]);
        builder.assert_zero(col(Z) * (one.clone() - col(ACTIVE)));
        builder.assert_zero(col(Z) * col(END));
        builder.assert_zero(col(END) * (col(SEND_CHAIN) - col(CHAIN)));
        for e in 0..8 {
            builder.assert_zero(col(END) * (row[SEND + e].into() - hash(e)));
        }
        builder.assert_zero(local.inputs[15]);

        let mut t = builder.when_transition();
        t.assert_zero(carry.clone() * (next[CHAIN].into() - col(CHAIN)));
        for i in 0..8 {
            t.assert_zero(carry.clone() * (after.inputs[i].into() - hash(i)));
        }
        for i in 8..13 {
            t.assert_zero(carry.clone() * (after.inputs[i].into() - local.inputs[i].into()));
        }

        let sid = col(SID);
        let parameter = local.inputs[8..13].iter().map(|&v| v.into());
        let mut digit = vec![sid.clone(), col(CHAIN), col(POS) - one.clone()];
        digit.extend(parameter.clone());
        PermutationCheckBus::new(DIGIT_BUS).receive(builder, digit, Count::bounded(col(START), 1));
        let mut no_step = vec![sid.clone(), col(SEND_CHAIN), AB::Expr::from_usize(TOP)];
        no_step.extend(parameter);
        PermutationCheckBus::new(DIGIT_BUS).receive(builder, no_step, Count::bounded(col(Z), 1));
        let tweak = [col(CHAIN), col(POS), local.inputs[13].into(), local.inputs[14].into()];
        LookupBus::new(CHAIN_TWEAK_BUS).lookup_key(builder, tweak, Count::bounded(col(ACTIVE), 1));
        let first = col(SEND_CHAIN) * Val::from_u8(8) + Val::from_u8(7);
        for e in 0..8 {
            let fields = [sid.clone(), first.clone() + Val::from_usize(e), row[SEND + e].into()];
            let count = Count::bounded(col(END) + col(Z), 1);
            PermutationCheckBus::new(LEAF_INPUT_BUS).send(builder, fields, count);
        }
    }
}

/// One signature's rows: the permutation inputs and the columns after them.
type SignerRows = (Vec<[Val; WIDTH]>, Vec<[Val; COLUMNS - SID]>);

/// The rows of signature `sid`, or `None` if its chains with no step outnumber the rows that could
/// carry them (never for a codeword with the target sum).
fn signer_rows(sid: usize, w: &SignerWitness, epoch: u32) -> Option<SignerRows> {
    // Every chain's values from its digit to the end, walked one position at a time with the chains
    // packed into SIMD lanes.
    let mut values = w.hashes.clone();
    let mut walked: Vec<Vec<[Val; 8]>> = values.iter().map(|&v| vec![v]).collect();
    let mut pos = w.digits;
    for _ in 0..TOP {
        let to = pos.map(|p| (p + 1).min(TOP as u8));
        walk_all(&w.parameter, epoch, &mut values, &pos, &to);
        for c in (0..CHAINS).filter(|&c| to[c] > pos[c]) {
            walked[c].push(values[c]);
        }
        pos = to;
    }
    let (mut inputs, mut extra) = (Vec::with_capacity(STEPS), Vec::with_capacity(STEPS));
    let mut no_steps = Vec::new();
    for (chain, walk) in walked.iter().enumerate() {
        let digit = usize::from(w.digits[chain]);
        if digit >= TOP {
            no_steps.push((chain, walk[0]));
            continue;
        }
        for (k, value) in walk.iter().take(TOP - digit).enumerate() {
            let pos = digit + 1 + k;
            let mut input = [Val::ZERO; WIDTH];
            input[..8].copy_from_slice(value);
            input[8..13].copy_from_slice(&w.parameter);
            input[13..15].copy_from_slice(&chain_tweak(epoch, chain as u8, pos as u8));
            inputs.push(input);
            let mut cols = [Val::ZERO; COLUMNS - SID];
            let end = pos == TOP;
            cols[..Z - SID].copy_from_slice(&[
                Val::from_usize(sid),
                Val::ONE,
                Val::from_bool(k == 0),
                Val::from_bool(end),
                Val::from_usize(chain),
                Val::from_usize(pos),
            ]);
            if end {
                cols[SEND_CHAIN - SID] = Val::from_usize(chain);
                cols[SEND - SID..].copy_from_slice(&walk[k + 1]);
            }
            extra.push(cols);
        }
    }
    // Chains with no step ride on this signature's rows that send nothing of their own.
    let hosts: Vec<usize> = (0..extra.len()).filter(|&r| extra[r][END - SID] == Val::ZERO).collect();
    if hosts.len() < no_steps.len() {
        return None;
    }
    for ((chain, value), host) in no_steps.into_iter().zip(hosts) {
        let cols = &mut extra[host];
        cols[Z - SID] = Val::ONE;
        cols[SEND_CHAIN - SID] = Val::from_usize(chain);
        cols[SEND - SID..].copy_from_slice(&value);
    }
    Some((inputs, extra))
}

/// The chain table of `signers` at `epoch`, at least `min_height` rows, and how many steps use each tweak
/// entry (indexed by [`chain_row`]). `None` if a signature's rows cannot be laid out (see `signer_rows`).
pub(crate) fn chain_trace(
    signers: &[SignerWitness],
    min_height: usize,
    epoch: u32,
) -> Option<(RowMajorMatrix<Val>, Vec<u32>)> {
    let per_signer: Vec<SignerRows> =
        signers.par_iter().enumerate().map(|(s, w)| signer_rows(s, w, epoch)).collect::<Option<_>>()?;
    let rows: usize = per_signer.iter().map(|(inputs, _)| inputs.len()).sum();
    let height = rows.next_power_of_two().max(min_height);
    let (mut inputs, mut extra) = (Vec::with_capacity(height), Vec::with_capacity(height));
    let mut uses = vec![0u32; CHAINS * TOP];
    for (i, e) in per_signer {
        for cols in &e {
            let (chain, pos) = (cols[CHAIN - SID].as_canonical_u32(), cols[POS - SID].as_canonical_u32());
            uses[chain_row(chain as usize, pos as usize)] += 1;
        }
        inputs.extend(i);
        extra.extend(e);
    }
    inputs.resize(height, [Val::ZERO; WIDTH]);
    extra.resize(height, [Val::ZERO; COLUMNS - SID]);
    let trace = append_columns(poseidon16_trace(inputs, 0), COLUMNS, |r, out| out.copy_from_slice(&extra[r]));
    Some((trace, uses))
}

const _: () = assert!(STEPS == 122 && SEND + 8 == COLUMNS);
