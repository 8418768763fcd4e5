//! The message-hash table (Devnet 4 parameters): one row per signature.
//!
//! A row is a width-24 permutation of `[message(9) ‖ parameter(5) ‖ message_tweak(epoch)(2) ‖ rho(7) ‖ 0]`
//! followed by the decomposition of the first 6 compression outputs `a_i = Perm(x)[i] + x[i]`:
//! `a_i = Q·Σ_k digit_{i,k}·8^k + r_i` with every digit written in 3 bits and `r_i` in 7 bits that are not
//! all ones (`r_i < Q = 127`). Since `Q·8^8 + Q < p`, this integer identity holds in the field only for the
//! true quotient and remainder, and it exists exactly when `a_i < Q·8^8` — ndvt-xmss's "no abort" bound.
//! The first 46 digits must equal the statement's codeword (periodic columns); the verifier checks the
//! codeword's range and target sum in the clear.

use std::borrow::Cow;

use core::borrow::Borrow;

use ndvt_xmss::primitives::{compress, encode_message, message_tweak, poseidon24};
use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::{PrimeCharacteristicRing, PrimeField32};
use p3_matrix::Matrix;
use p3_matrix::dense::RowMajorMatrix;
use p3_uni_stark::SubAirBuilder;

use super::config::Val;
use super::message_hash::{CHAINS, MessageClaim};
use super::poseidon_air::{
    POSEIDON24_COLUMNS, Poseidon24Air, Poseidon24Cols, WIDTH24, output24, poseidon24_air, poseidon24_trace,
};

/// Hash outputs decomposed (`ceil(46 / 8)`).
pub(crate) const ELEMENTS: usize = 6;
/// Digits per output element (z).
const DIGITS: usize = 8;
/// The quotient modulus Q.
const Q: u32 = 127;
const REM_BITS: usize = 7;
const AUX: usize = REM_BITS - 2;

const REM: usize = POSEIDON24_COLUMNS;
const DIGIT_BITS: usize = REM + ELEMENTS * REM_BITS;
const AUX_COLS: usize = DIGIT_BITS + ELEMENTS * DIGITS * 3;
/// Columns of the message table.
pub(crate) const WIDTH: usize = AUX_COLS + ELEMENTS * AUX;

const INPUT: usize = 0;
const CODEWORD: usize = 23;
const ACTIVE: usize = CODEWORD + CHAINS;
const PERIODIC_COLUMNS: usize = ACTIVE + 1;

/// Public values per signature: parameter (5), epoch limbs (2), message (9), rho (7), codeword (46).
pub(crate) const CLAIM_VALUES: usize = 5 + 2 + 9 + 7 + CHAINS;

/// Trace height for `claims` signatures (at least 2 rows).
pub(crate) fn trace_height(claims: usize) -> usize {
    claims.next_power_of_two().max(2)
}

/// The permutation input of a claim.
pub(crate) fn hash_input(claim: &MessageClaim) -> [Val; WIDTH24] {
    let mut x = [Val::ZERO; WIDTH24];
    x[..9].copy_from_slice(&encode_message(&claim.message));
    x[9..14].copy_from_slice(&claim.parameter);
    x[14..16].copy_from_slice(&message_tweak(claim.epoch));
    x[16..23].copy_from_slice(&claim.rho);
    x
}

/// The message-hash AIR of one statement.
pub(crate) struct MessageAir {
    poseidon: Poseidon24Air,
    periodic: Vec<Vec<Val>>,
    num_public_values: usize,
}

impl MessageAir {
    /// The AIR for `claims` (assumed validated).
    pub(crate) fn new(claims: &[MessageClaim]) -> Self {
        let mut periodic = vec![vec![Val::ZERO; trace_height(claims.len())]; PERIODIC_COLUMNS];
        for (row, claim) in claims.iter().enumerate() {
            for (i, x) in hash_input(claim)[..23].iter().enumerate() {
                periodic[INPUT + i][row] = *x;
            }
            for (i, &d) in claim.codeword.iter().enumerate() {
                periodic[CODEWORD + i][row] = Val::from_u8(d);
            }
            periodic[ACTIVE][row] = Val::ONE;
        }
        MessageAir {
            poseidon: poseidon24_air(),
            periodic,
            num_public_values: 1 + CLAIM_VALUES * claims.len(),
        }
    }
}

impl BaseAir<Val> for MessageAir {
    fn width(&self) -> usize {
        WIDTH
    }

    fn main_next_row_columns(&self) -> Vec<usize> {
        vec![]
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

impl<AB: AirBuilder<F = Val>> Air<AB> for MessageAir {
    fn eval(&self, builder: &mut AB) {
        {
            let mut sub = SubAirBuilder::<AB, Poseidon24Air, AB::Var>::new(builder, 0..POSEIDON24_COLUMNS);
            self.poseidon.eval(&mut sub);
        }
        let main = builder.main();
        let row = main.current_slice();
        let local: &Poseidon24Cols<AB::Var> = row[..POSEIDON24_COLUMNS].borrow();
        let p: Vec<AB::Expr> = builder.periodic_values().iter().map(|&v| v.into()).collect();
        let out = output24(local);
        for i in 0..23 {
            builder.assert_eq(local.inputs[i], p[INPUT + i].clone());
        }
        builder.assert_zero(local.inputs[23]);
        let a: [AB::Expr; ELEMENTS] = core::array::from_fn(|e| out[e].into() + local.inputs[e].into());
        let digits = eval_decomposition(builder, &row[REM..WIDTH], a, p[ACTIVE].clone());
        for (i, digit) in digits.into_iter().take(CHAINS).enumerate() {
            builder.assert_zero(p[ACTIVE].clone() * (digit - p[CODEWORD + i].clone()));
        }
    }
}

/// Columns of one row's decomposition: remainder bits, digit bits, running products.
pub(crate) const DECOMPOSITION_COLUMNS: usize = ELEMENTS * (REM_BITS + DIGITS * 3 + AUX);

/// Constrains `cols` (the [`DECOMPOSITION_COLUMNS`] of a row) to decompose each `a[e]` as
/// `Q·Σ_k digit_k·8^k + r` with `r < Q`, on rows where `gate` is 1, and returns the 48 digits.
pub(crate) fn eval_decomposition<AB: AirBuilder<F = Val>>(
    builder: &mut AB,
    cols: &[AB::Var],
    a: [AB::Expr; ELEMENTS],
    gate: AB::Expr,
) -> Vec<AB::Expr> {
    let (rem, digit_bits, aux) = (0, ELEMENTS * REM_BITS, ELEMENTS * (REM_BITS + DIGITS * 3));
    for bit in &cols[..aux] {
        builder.assert_bool(*bit);
    }
    let mut digits = Vec::with_capacity(ELEMENTS * DIGITS);
    for (e, a) in a.into_iter().enumerate() {
        let rem_bits = &cols[rem + e * REM_BITS..rem + (e + 1) * REM_BITS];
        let aux = &cols[aux + e * AUX..aux + (e + 1) * AUX];
        // r < 127: the running product of the remainder bits ends at 0.
        builder.assert_eq(aux[0], rem_bits[0].into() * rem_bits[1].into());
        for k in 1..AUX {
            builder.assert_eq(aux[k], aux[k - 1].into() * rem_bits[k + 1].into());
        }
        builder.assert_zero(aux[AUX - 1].into() * rem_bits[REM_BITS - 1].into());
        let r = rem_bits.iter().rev().fold(AB::Expr::ZERO, |acc, &b| acc.double() + b.into());
        let element_digits: Vec<AB::Expr> = (0..DIGITS)
            .map(|k| {
                let at = digit_bits + (e * DIGITS + k) * 3;
                cols[at].into() + cols[at + 1].into().double() + cols[at + 2].into() * Val::from_u8(4)
            })
            .collect();
        let quotient =
            element_digits.iter().rev().fold(AB::Expr::ZERO, |acc, d| acc * Val::from_u8(8) + d.clone());
        builder.assert_zero(gate.clone() * (a - quotient * Val::from_u32(Q) - r));
        digits.extend(element_digits);
    }
    digits
}

/// The decomposition columns of a row whose compression output is `out` (all zero when `active` is
/// false). `None` if the hash aborts (an output at or above Q·8^8).
pub(crate) fn decomposition_row(out: &[Val; 8], active: bool) -> Option<Vec<Val>> {
    let mut rem_bits = Vec::with_capacity(ELEMENTS * REM_BITS);
    let mut digit_bits = Vec::with_capacity(ELEMENTS * DIGITS * 3);
    let mut aux = Vec::with_capacity(ELEMENTS * AUX);
    for a in &out[..ELEMENTS] {
        let a = a.as_canonical_u32();
        let (mut d, rem) = if active { (a / Q, a % Q) } else { (0, 0) };
        if d >> (3 * DIGITS) != 0 {
            return None;
        }
        let bits: Vec<Val> = (0..REM_BITS).map(|j| Val::from_bool(rem >> j & 1 == 1)).collect();
        let mut product = bits[0] * bits[1];
        aux.push(product);
        for b in &bits[2..REM_BITS - 1] {
            product *= *b;
            aux.push(product);
        }
        rem_bits.extend(bits);
        for _ in 0..DIGITS {
            digit_bits.extend((0..3).map(|j| Val::from_bool((d & 7) >> j & 1 == 1)));
            d >>= 3;
        }
    }
    rem_bits.extend(digit_bits);
    rem_bits.extend(aux);
    Some(rem_bits)
}

/// The trace of `claims`: the permutation rows, then each output's remainder bits, digit bits and the
/// running products. `None` if a claim's hash aborts (an output at or above Q·8^8).
pub(crate) fn message_trace(
    claims: &[MessageClaim],
    extra_capacity_bits: usize,
) -> Option<RowMajorMatrix<Val>> {
    let height = trace_height(claims.len());
    let mut inputs: Vec<[Val; WIDTH24]> = claims.iter().map(hash_input).collect();
    inputs.resize(height, [Val::ZERO; WIDTH24]);
    let outputs: Vec<[Val; 8]> = inputs.iter().map(|x| compress(poseidon24(), *x)).collect();
    let perms = poseidon24_trace(inputs, 0);
    let mut values = Vec::with_capacity((height * WIDTH) << extra_capacity_bits);
    for (r, out) in outputs.iter().enumerate() {
        values.extend(perms.row(r)?);
        values.extend(decomposition_row(out, r < claims.len())?);
    }
    Some(RowMajorMatrix::new(values, WIDTH))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A claim whose hash has an output element with remainder 0 and quotient at least 1 (the codeword is
    /// whatever the hash gives: the AIR does not check the target sum, the verifier does).
    fn claim_with_zero_remainder() -> (MessageClaim, usize) {
        for seed in 0u32..100_000 {
            let mut claim = MessageClaim {
                parameter: [Val::from_u32(3); 5],
                epoch: 9,
                message: [7; 32],
                rho: core::array::from_fn(|i| Val::from_u32(seed * 7 + i as u32)),
                codeword: [0; CHAINS],
            };
            let out: [Val; 8] = compress(poseidon24(), hash_input(&claim));
            let a: Vec<u32> = out[..ELEMENTS].iter().map(|x| x.as_canonical_u32()).collect();
            if a.iter().any(|&x| (x / Q) >> 24 != 0) {
                continue;
            }
            if let Some(e) = a.iter().position(|&x| x % Q == 0 && x >= Q) {
                for (i, d) in claim.codeword.iter_mut().enumerate() {
                    *d = (((a[i / DIGITS] / Q) >> (3 * (i % DIGITS))) & 7) as u8;
                }
                return (claim, e);
            }
        }
        panic!("no hash output with remainder 0 in 100,000 tries");
    }

    fn public(claim: &MessageClaim) -> Vec<Val> {
        super::super::message_hash::MessageStatement { claims: vec![*claim] }.public_values_for_tests()
    }

    #[test]
    fn honest_trace_satisfies_the_air() {
        let (claim, _) = claim_with_zero_remainder();
        let trace = message_trace(&[claim], 0).unwrap();
        p3_air::check_constraints(&MessageAir::new(&[claim]), &trace, &public(&claim));
    }

    /// `a = Q·d + 0` rewritten as `Q·(d − 1) + 127`: every other constraint still holds, and the remainder's
    /// bits are all ones, which the running product forbids — exactly one constraint fails.
    #[test]
    fn a_remainder_of_127_is_refused() {
        let (mut claim, e) = claim_with_zero_remainder();
        let trace = message_trace(&[claim], 0).unwrap();
        let mut values = trace.values.clone();
        let row = &mut values[..WIDTH];
        let mut d = 0u32;
        for k in (0..DIGITS).rev() {
            let at = DIGIT_BITS + (e * DIGITS + k) * 3;
            d = d * 8 + (0..3).map(|j| row[at + j].as_canonical_u32() << j).sum::<u32>();
        }
        d -= 1;
        for k in 0..DIGITS {
            let at = DIGIT_BITS + (e * DIGITS + k) * 3;
            for j in 0..3 {
                row[at + j] = Val::from_bool((d >> (3 * k + j)) & 1 == 1);
            }
            // The public codeword follows the rewritten digits, so only the remainder check can fail.
            if e * DIGITS + k < CHAINS {
                claim.codeword[e * DIGITS + k] = ((d >> (3 * k)) & 7) as u8;
            }
        }
        for j in 0..REM_BITS {
            row[REM + e * REM_BITS + j] = Val::ONE;
        }
        for k in 0..AUX {
            row[AUX_COLS + e * AUX + k] = Val::ONE;
        }
        let tampered = RowMajorMatrix::new(values, WIDTH);
        let report =
            p3_air::check_all_constraints(&MessageAir::new(&[claim]), &tampered, &public(&claim), None);
        assert_eq!(report.failures.len(), 1, "{:?}", report.failures);
        assert_eq!(report.failures[0].row, 0);
    }
}
