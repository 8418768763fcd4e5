//! The aggregate proof's soundness terms, composed with Plonky3's own estimator (`p3-security`) from the
//! real tables at their real heights.
//!
//! `p3-security` offers these terms for a FRI-based batch STARK, and every one is charged here:
//!
//! | term | round | how the batch is charged |
//! |---|---|---|
//! | `air-composition` | constraint-folding challenge | the constraints of all six tables plus their LogUp constraints (one challenge folds them all) |
//! | `deep-ali` | out-of-domain point | the largest table, at the largest constraint degree and quotient split of any table; and all six as a union bound, each at its height (`deep-ali-all-tables`) |
//! | `ldt-query-phase`, `ldt-commit-phase` | FRI queries and folding | FRI at the largest table's height |
//! | `batch-combination` | opening-batching challenge | every committed column of every table, the permutation (LogUp) columns included |
//! | `logup-fingerprint` | LogUp challenges `(alpha, beta)` | `N·(W + 2)/|EF|` with `N` every bus denominator of every row of every table and `W` the widest tuple, plus the lookup grinding |
//! | `commitment-collision` | Merkle commitments | the Poseidon2 digest |
//!
//! The proven estimate takes the better of the unique- and list-decoding regimes, as `p3-security` does.
//! Not charged: the WHIR, multilinear and ring-switching terms (another commitment scheme) and the hiding
//! terms (these proofs are not zero-knowledge).

use p3_air::BaseAir;
use p3_air::symbolic::AirLayout;
use p3_batch_stark::ProverData;
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionSymbolicBuilder;
use p3_security::logup::{LogUpAir, security_term};
use p3_security::report::{RegimeReport, SecurityTerm};
use p3_security::shape::{InstanceShape, StarkAirParams};
use p3_security::stark::{conjectured_security_report, proven_security_report};
use p3_security::{ErrorBits, deep};
use p3_uni_stark::OpeningShape;

use super::super::config::{Challenge, Val, batch_config, batch_grinding_sites, fri_parameters_standalone};
use super::super::error::SuccinctError;
use super::super::security::{CHALLENGE_FIELD_BITS, COLLISION_BITS};
use super::key_table::ENTRY;
use super::proof::degree_bits;
use super::tables::tables;

/// Degree of the challenge field over KoalaBear.
const CHALLENGE_DIMENSION: usize = 4;
/// Every table reads the current and the next row.
const MAX_COMBO: usize = 2;
/// The LogUp gadget's constraints besides one per fraction column: the accumulator's first row,
/// transition and last row.
const LOGUP_ACCUMULATOR_CONSTRAINTS: usize = 3;

/// Label of the DEEP term charged as a union bound over every table, each at its own height.
pub const DEEP_ALL_TABLES_LABEL: &str = "deep-ali-all-tables";

/// One soundness term: the error source (`p3-security`'s label) and its `−log2(error)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SoundnessTerm {
    /// The error source.
    pub label: &'static str,
    /// Bits of security against it.
    pub bits: f64,
}

/// The security of one aggregate proof shape, with every term behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct AggregateSecurity {
    /// log2 of the largest table's height.
    pub degree_bits: usize,
    /// Conjectured security: the smallest of [`Self::conjectured_terms`], rounded down.
    pub conjectured_bits: usize,
    /// Proven security: the smallest term of the better proven regime, rounded down.
    pub proven_bits: usize,
    /// The conjectured regime's terms (eprint 2025/2010 §1.5 "random words").
    pub conjectured_terms: Vec<SoundnessTerm>,
    /// The terms of the better proven regime (eprint 2024/1553).
    pub proven_terms: Vec<SoundnessTerm>,
}

/// What the estimate needs of one table.
struct TableShape {
    log_height: usize,
    constraints: usize,
    degree: usize,
    /// Bus denominators per row: every tuple of every lookup.
    denominators: usize,
    widest_tuple: usize,
    batched_openings: usize,
}

fn terms(report: &RegimeReport) -> Vec<SoundnessTerm> {
    report.terms().iter().map(|t| SoundnessTerm { label: t.label, bits: t.bits.bits() }).collect()
}

fn quotient_chunks(degree: usize) -> usize {
    // The prover's split: a degree-d quotient in (d − 1) chunks, rounded up to a power of two.
    (degree.max(2) - 1).next_power_of_two()
}

fn table_shapes(signatures: usize, key_entries: usize) -> Result<Vec<TableShape>, SuccinctError> {
    let airs = tables(0, &vec![[Val::ZERO; ENTRY]; key_entries], 0);
    let log_heights = degree_bits(signatures, key_entries);
    // The lookups exactly as the prover packs them into permutation columns.
    let data = ProverData::from_airs_and_degrees(&batch_config(b""), &airs, &log_heights)
        .map_err(SuccinctError::Proving)?;
    let shapes =
        airs.iter().zip(&log_heights).zip(&data.common.lookups).map(|((air, &log_height), lookups)| {
            let symbolic =
                InteractionSymbolicBuilder::<Val, Challenge>::from_air(air, AirLayout::from_air(air));
            let base = symbolic.base_constraints();
            let degree = base.iter().map(|c| c.degree_multiple()).max().unwrap_or(1);
            let logup_constraints =
                if lookups.is_empty() { 0 } else { lookups.len() + LOGUP_ACCUMULATOR_CONSTRAINTS };
            TableShape {
                log_height,
                constraints: base.len() + symbolic.extension_constraints().len() + logup_constraints,
                degree,
                denominators: lookups.iter().map(|l| l.elements.len()).sum(),
                widest_tuple: lookups.iter().flat_map(|l| l.elements.iter().map(Vec::len)).max().unwrap_or(0),
                batched_openings: p3_batch_stark::num_batched_openings(
                    BaseAir::<Val>::width(air),
                    true,
                    0,
                    false,
                    quotient_chunks(degree),
                    lookups.len(),
                    CHALLENGE_DIMENSION,
                    OpeningShape::new(),
                ),
            }
        });
    Ok(shapes.collect())
}

/// The security of an aggregate proof of `signatures` signatures over a statement of `key_entries` member
/// keys, every soundness term included (see the module documentation).
pub(crate) fn aggregate_security(
    signatures: usize,
    key_entries: usize,
) -> Result<AggregateSecurity, SuccinctError> {
    let shapes = table_shapes(signatures.max(1), key_entries.max(1))?;
    let log_height = shapes.iter().map(|t| t.log_height).max().unwrap_or(0);
    let degree = shapes.iter().map(|t| t.degree).max().unwrap_or(1);
    let air = StarkAirParams {
        num_constraints: shapes.iter().map(|t| t.constraints).sum(),
        max_constraint_degree: degree,
        num_quotient_chunks: quotient_chunks(degree),
        max_combo: MAX_COMBO,
    };
    let shape = |log_trace_length| InstanceShape {
        log_trace_length,
        modulus_bits: CHALLENGE_FIELD_BITS,
        collision_resistance: COLLISION_BITS,
        num_batched_functions: shapes.iter().map(|t| t.batched_openings).sum(),
    };
    let grinding = batch_grinding_sites();
    // One out-of-domain point serves every table: the union bound over all of them, each at its height.
    let deep_all = ErrorBits::sum(
        &shapes.iter().map(|t| deep::deep_ali_error(&air, &shape(t.log_height), 1.0)).collect::<Vec<_>>(),
    );
    let deep_all = p3_security::grinding::boost(deep_all, grinding.out_of_domain);
    let denominators: usize = shapes.iter().map(|t| t.denominators << t.log_height).sum();
    let logup = LogUpAir {
        num_interactions: denominators,
        max_message_width: shapes.iter().map(|t| t.widest_tuple).max().unwrap_or(0),
    };
    // N is already the whole batch's count, so the term is evaluated on a one-row shape.
    let extras: Vec<SecurityTerm> = [
        Some(SecurityTerm::new(DEEP_ALL_TABLES_LABEL, deep_all)),
        security_term(&logup, &shape(0), &grinding),
    ]
    .into_iter()
    .flatten()
    .collect();
    let fri = fri_parameters_standalone().security_regime();
    let conjectured = conjectured_security_report(&fri, &air, &shape(log_height), &extras, &grinding);
    let proven = proven_security_report(&fri, &air, &shape(log_height), &extras, &grinding);
    let best_proven = match &proven.ldr {
        Some(ldr) if ldr.security_bits() > proven.udr.security_bits() => ldr,
        _ => &proven.udr,
    };
    Ok(AggregateSecurity {
        degree_bits: log_height,
        conjectured_bits: conjectured.security_bits() as usize,
        proven_bits: proven.security_bits() as usize,
        conjectured_terms: terms(&conjectured),
        proven_terms: terms(best_proven),
    })
}
