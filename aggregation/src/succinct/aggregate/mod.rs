//! The aggregate proof: one STARK that every participating group reached its threshold.
//!
//! Five tables are proven together with `p3-batch-stark` and linked by LogUp buses (`p3-lookup`):
//!
//! | table | rows | proves |
//! |---|---|---|
//! | signatures (`sig_table`) | one per signature | message hash, codeword digits and the target sum; membership and the threshold |
//! | chains (`chain_table`) | 122 per signature (one per step) | each chain's walk from the signature's hash to the chain end |
//! | leaf sponge (`sponge_table`) | 25 per signature | the leaf over the proven chain ends |
//! | Merkle (`merkle_table`) | 32 per signature | the path from that leaf to the member key's root |
//! | keys (`key_table`) | one per member key | the statement's keys, thresholds and roster indices |
//! | tweaks (`tweak_table`) | 512 | the epoch's chain and tree tweaks and position bits |
//!
//! Each table is padded to a power of two. The hash tables have no periodic columns, so their layout is
//! committed and constrained row to row, and whatever depends on the epoch is looked up in the tweak table.
//!
//! Only the statement is public: the message, the epoch, each participant's threshold and member keys, and
//! where they stand in the registry (its length, a commitment to its entries, the set bits).
//! Every intermediate value (codeword, chain values, ends, leaf, co-path, which members signed) is a
//! private witness. See `docs/SUCCINCT.md` for the argument and the figures.
//!
//! ```
//! use ndvt_aggregation::succinct::fixture::single_epoch_signature;
//! use ndvt_aggregation::succinct::{
//!     AggregateProof, AggregateStatement, Contribution, Participant, prove_aggregate, verify_aggregate,
//! };
//!
//! // A 2-of-3 group; members 0 and 2 signed message `msg` at epoch 9.
//! let msg = [7u8; 32];
//! let members: Vec<_> = (0..3).map(|seed| single_epoch_signature(seed, 9, &msg)).collect();
//! let group = Participant::group(2, members.iter().map(|(pk, _)| *pk).collect())?;
//! let statement = AggregateStatement::new(msg, 9, vec![group])?;
//! let shares: Vec<Contribution> = [0u8, 2]
//!     .iter()
//!     .map(|&j| Contribution { participant: 0, member: j, signature: members[usize::from(j)].1.clone() })
//!     .collect();
//! let proof = prove_aggregate(&statement, &shares)?;
//! let bytes = proof.to_bytes();
//! verify_aggregate(&statement, &AggregateProof::from_bytes(&bytes)?)?;
//!
//! // The same proof says nothing about a 3-of-3 group of the same keys.
//! let mut stricter = statement.clone();
//! stricter.participants[0] = Participant::group(3, statement.participants[0].members().to_vec())?;
//! assert!(verify_aggregate(&stricter, &AggregateProof::from_bytes(&bytes)?).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// Constraints index parallel column groups (inputs, outputs, periodic values) by one position; index
// loops read like the formulas they encode.
#![allow(clippy::needless_range_loop)]

mod chain_table;
mod key_table;
mod merkle_table;
mod proof;
mod registry;
mod runs;
mod sig_table;
pub(crate) mod soundness;
mod sponge_table;
mod statement;
mod tables;
mod tweak_table;
mod wire;

pub use proof::{AggregateProof, prove_aggregate, verify_aggregate};
pub use registry::{Participation, registry_commitment};
pub use statement::{AggregateStatement, Contribution, MAX_KEY_ENTRIES, MAX_SIGNATURES, Participant};
pub use wire::{Lean, MAX_PROOF_BYTES, SuccinctAggregate, statement_for};

pub(crate) use super::message_hash::{CHAINS, TARGET_SUM};

use ndvt_xmss::Digest;

use super::config::Val;

/// The last position of a chain (Devnet 4's base is 8).
pub(crate) const TOP: usize = <ndvt_xmss::Devnet4 as ndvt_xmss::Instance>::BASE - 1;
/// Depth of a Devnet 4 key's Merkle tree.
pub(crate) const DEPTH: usize = 32;
/// The most members a group may have (the DVT proposal's n ≤ 16).
pub const MAX_MEMBERS: usize = 16;

/// `(sid, chain, digit, parameter)`: signature table → chain table.
pub(crate) const DIGIT_BUS: &str = "ndvt/aggregate/digits";
/// `(sid, flat index, value)`: parameter and chain ends → leaf sponge.
pub(crate) const LEAF_INPUT_BUS: &str = "ndvt/aggregate/leaf-input";
/// `(sid, leaf)`: leaf sponge → Merkle table.
pub(crate) const LEAF_BUS: &str = "ndvt/aggregate/leaf";
/// `(sid, parameter, root)`: Merkle table → signature table.
pub(crate) const ROOT_BUS: &str = "ndvt/aggregate/root";
/// `(participant, member, threshold, parameter, root)`: signature rows look up the key table.
pub(crate) const KEY_BUS: &str = "ndvt/aggregate/keys";
/// `(chain, pos, tweak)`: chain steps look up the tweak table.
pub(crate) const CHAIN_TWEAK_BUS: &str = "ndvt/aggregate/chain-tweaks";
/// `(level, bit, tweak)`: Merkle rows look up the tweak table.
pub(crate) const LEVEL_BUS: &str = "ndvt/aggregate/levels";

/// Evaluates a table's permutation AIR (Poseidon1 width 16 or 24) on the table's leading `width` columns.
pub(crate) fn eval_permutation<AB, A>(builder: &mut AB, air: &A, width: usize)
where
    AB: p3_air::AirBuilder,
    A: p3_air::BaseAir<AB::F> + for<'a> p3_air::Air<p3_uni_stark::SubAirBuilder<'a, AB, A, AB::Var>>,
{
    let mut sub = p3_uni_stark::SubAirBuilder::<AB, A, AB::Var>::new(builder, 0..width);
    air.eval(&mut sub);
}

/// A table's trace: each permutation row of `perms`, followed by the columns `extra(row, out)` writes
/// (`columns` in all). Rows are filled in parallel.
pub(crate) fn append_columns(
    perms: p3_matrix::dense::RowMajorMatrix<Val>,
    columns: usize,
    extra: impl Fn(usize, &mut [Val]) + Sync,
) -> p3_matrix::dense::RowMajorMatrix<Val> {
    use p3_field::PrimeCharacteristicRing;
    use rayon::prelude::*;
    let width = perms.width;
    let mut values = Val::zero_vec(perms.values.len() / width * columns);
    values.par_chunks_exact_mut(columns).zip(perms.values.par_chunks_exact(width)).enumerate().for_each(
        |(r, (row, perm))| {
            row[..width].copy_from_slice(perm);
            extra(r, &mut row[width..]);
        },
    );
    p3_matrix::dense::RowMajorMatrix::new(values, columns)
}

/// Everything the prover knows about one counted signature.
pub(crate) struct SignerWitness {
    pub(crate) participant: usize,
    pub(crate) member: u8,
    pub(crate) threshold: u8,
    pub(crate) parameter: [Val; 5],
    pub(crate) root: Digest,
    pub(crate) rho: [Val; 7],
    pub(crate) digits: [u8; CHAINS],
    pub(crate) hashes: Vec<Digest>,
    pub(crate) ends: Vec<Digest>,
    pub(crate) co_path: Vec<Digest>,
}

#[cfg(test)]
mod tests;
