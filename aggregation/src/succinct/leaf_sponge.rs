//! Proofs that leaves are the sponge hashes of their chain ends.
//!
//! Statement: for every claim, ndvt-xmss's leaf of `epoch` under `parameter` with chain ends `ends`
//! (`dimension` of them) is `leaf` — the value `ndvt_xmss::primitives::leaf` computes. Everything is public
//! and absorbed by the transcript; step 2 will make the ends private and link them to the chain table.

use ndvt_xmss::{Digest, Parameter};
use p3_field::PrimeCharacteristicRing;
use p3_uni_stark::{prove, verify};

use super::config::{LOG_BLOWUP, Val, config};
use super::error::{Rejection, SuccinctError};
use super::poseidon_air::poseidon24_trace;
use super::proof::StarkProof;
use super::sponge_air::{HEADER_VALUES, SpongeAir, leaf_values, sponge_rows, trace_height};

/// The most chains a leaf may hash (Devnet 4 has 46).
pub const MAX_DIMENSION: usize = 64;
/// The most leaves one proof may cover.
pub const MAX_LEAVES: usize = 1 << 12;

const DOMAIN_TAG: &[u8] = b"ndvt/succinct/leaf-sponge/v1";

/// What the prover is given for one leaf.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafInput {
    /// The key's public hash parameter.
    pub parameter: Parameter,
    /// The epoch of the leaf.
    pub epoch: u32,
    /// The chain ends, chain 0 first.
    pub ends: Vec<Digest>,
}

/// A claimed leaf.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafClaim {
    /// The key's public hash parameter.
    pub parameter: Parameter,
    /// The epoch of the leaf.
    pub epoch: u32,
    /// The chain ends, chain 0 first.
    pub ends: Vec<Digest>,
    /// The leaf they hash to.
    pub leaf: Digest,
}

/// The public statement of a leaf-sponge proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafStatement {
    /// Chains per leaf.
    pub dimension: usize,
    /// The leaves, in trace order.
    pub leaves: Vec<LeafClaim>,
}

fn check(dimension: usize, ends: impl ExactSizeIterator<Item = usize>) -> Result<(), SuccinctError> {
    if dimension == 0 || dimension > MAX_DIMENSION {
        return Err(SuccinctError::Dimension { got: dimension, max: MAX_DIMENSION });
    }
    match ends.len() {
        0 => return Err(SuccinctError::NoLeaves),
        n if n > MAX_LEAVES => return Err(SuccinctError::TooManyLeaves { got: n, max: MAX_LEAVES }),
        _ => {}
    }
    for (index, got) in ends.enumerate() {
        if got != dimension {
            return Err(SuccinctError::EndsLength { index, got, expected: dimension });
        }
    }
    Ok(())
}

impl LeafStatement {
    fn validate(&self) -> Result<(), SuccinctError> {
        check(self.dimension, self.leaves.iter().map(|l| l.ends.len()))
    }

    /// The public values the transcript absorbs: the whole statement, injectively.
    fn public_values(&self) -> Vec<Val> {
        let mut out = Vec::with_capacity(HEADER_VALUES + leaf_values(self.dimension) * self.leaves.len());
        out.push(Val::from_usize(self.dimension));
        out.push(Val::from_usize(self.leaves.len()));
        for l in &self.leaves {
            out.extend_from_slice(&l.parameter);
            out.push(Val::from_u32(l.epoch & 0xffff));
            out.push(Val::from_u32(l.epoch >> 16));
            out.extend(l.ends.iter().flatten());
            out.extend_from_slice(&l.leaf);
        }
        out
    }
}

/// Hashes every leaf and proves it: returns the statement (with the leaves) and its proof.
pub fn prove_leaves(
    dimension: usize,
    inputs: &[LeafInput],
) -> Result<(LeafStatement, StarkProof), SuccinctError> {
    check(dimension, inputs.iter().map(|l| l.ends.len()))?;
    let (rows, leaves) = sponge_rows(dimension, inputs);
    let statement = LeafStatement {
        dimension,
        leaves: inputs
            .iter()
            .zip(leaves)
            .map(|(l, leaf)| LeafClaim { parameter: l.parameter, epoch: l.epoch, ends: l.ends.clone(), leaf })
            .collect(),
    };
    let air = SpongeAir::new(&statement);
    let proof =
        prove(&config(DOMAIN_TAG), &air, poseidon24_trace(rows, LOG_BLOWUP), &statement.public_values())
            .map_err(SuccinctError::Proving)?;
    Ok((statement, StarkProof(proof)))
}

/// Verifies that `proof` proves `statement`.
pub fn verify_leaves(statement: &LeafStatement, proof: &StarkProof) -> Result<(), SuccinctError> {
    statement.validate()?;
    proof.check_height(trace_height(statement.dimension, statement.leaves.len()))?;
    let air = SpongeAir::new(statement);
    verify(&config(DOMAIN_TAG), &air, &proof.0, &statement.public_values())
        .map_err(|e| Rejection::Stark(e).into())
}

/// The AIR of a statement, for the security estimate.
pub(crate) fn sponge_air_for(statement: &LeafStatement) -> Result<SpongeAir, SuccinctError> {
    statement.validate()?;
    Ok(SpongeAir::new(statement))
}
