//! Proofs that hash-chain walks end where claimed.
//!
//! Statement: under `parameter` at `epoch`, for every walk, applying the chain step of ndvt-xmss `steps`
//! times to `start`, from position `start_pos` of chain `chain_index`, yields `end`. Everything in the
//! statement is public and absorbed by the Fiat–Shamir transcript as the STARK's public values.

use ndvt_xmss::{Digest, Parameter};
use p3_field::PrimeCharacteristicRing;
use p3_uni_stark::{prove, verify};

use super::chain_air::{
    BLOCK_ROWS, ChainAir, HEADER_VALUES, WALK_VALUES, chain_rows, chain_trace, trace_height,
};
use super::config::{LOG_BLOWUP, Val, config};
use super::error::{Rejection, SuccinctError};
use super::proof::StarkProof;

/// The most steps one walk may take (a walk occupies one block of [`BLOCK_ROWS`] rows).
pub const MAX_STEPS: u8 = (BLOCK_ROWS - 1) as u8;
/// The most walks one proof may cover (2^16 walks: a trace of 2^19 rows).
pub const MAX_WALKS: usize = 1 << 16;

const DOMAIN_TAG: &[u8] = b"ndvt/succinct/chain-walk/v1";

/// Where a chain walk starts: what the prover is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WalkStart {
    /// The chain's index within the epoch.
    pub chain_index: u8,
    /// The position of `start` in the chain.
    pub start_pos: u8,
    /// How many steps to walk.
    pub steps: u8,
    /// The value at `start_pos`.
    pub start: Digest,
}

/// A claimed chain walk: its start and the value it ends at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainWalk {
    /// The chain's index within the epoch.
    pub chain_index: u8,
    /// The position of `start` in the chain.
    pub start_pos: u8,
    /// How many steps are walked.
    pub steps: u8,
    /// The value at `start_pos`.
    pub start: Digest,
    /// The value at `start_pos + steps`.
    pub end: Digest,
}

/// The public statement of a chain-walk proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainWalkStatement {
    /// The key's public hash parameter.
    pub parameter: Parameter,
    /// The epoch whose chains are walked.
    pub epoch: u32,
    /// The walks, in trace order.
    pub walks: Vec<ChainWalk>,
}

/// A STARK proof of a [`ChainWalkStatement`].
pub type ChainWalkProof = StarkProof;

fn check_walks(walks: impl ExactSizeIterator<Item = (u8, u8)>) -> Result<(), SuccinctError> {
    match walks.len() {
        0 => return Err(SuccinctError::NoWalks),
        n if n > MAX_WALKS => return Err(SuccinctError::TooManyWalks { got: n, max: MAX_WALKS }),
        _ => {}
    }
    for (index, (start_pos, steps)) in walks.enumerate() {
        if steps > MAX_STEPS {
            return Err(SuccinctError::TooManySteps { index, steps, max: MAX_STEPS });
        }
        if u16::from(start_pos) + u16::from(steps) > 255 {
            return Err(SuccinctError::PositionOverflow { index, start_pos, steps });
        }
    }
    Ok(())
}

impl ChainWalkStatement {
    fn validate(&self) -> Result<(), SuccinctError> {
        check_walks(self.walks.iter().map(|w| (w.start_pos, w.steps)))
    }

    /// The public values the transcript absorbs: the whole statement, injectively.
    pub(crate) fn public_values(&self) -> Vec<Val> {
        let mut out = Vec::with_capacity(HEADER_VALUES + WALK_VALUES * self.walks.len());
        out.extend_from_slice(&self.parameter);
        out.push(Val::from_u32(self.epoch & 0xffff));
        out.push(Val::from_u32(self.epoch >> 16));
        out.push(Val::from_usize(self.walks.len()));
        for w in &self.walks {
            out.extend([w.chain_index, w.start_pos, w.steps].map(Val::from_u8));
            out.extend_from_slice(&w.start);
            out.extend_from_slice(&w.end);
        }
        out
    }
}

/// Walks every chain and proves the walks: returns the statement (with the end values) and its proof.
pub fn prove_chain_walks(
    parameter: &Parameter,
    epoch: u32,
    walks: &[WalkStart],
) -> Result<(ChainWalkStatement, ChainWalkProof), SuccinctError> {
    check_walks(walks.iter().map(|w| (w.start_pos, w.steps)))?;
    let mut statement = ChainWalkStatement {
        parameter: *parameter,
        epoch,
        walks: walks
            .iter()
            .map(|w| ChainWalk {
                chain_index: w.chain_index,
                start_pos: w.start_pos,
                steps: w.steps,
                start: w.start,
                end: [Val::ZERO; 8],
            })
            .collect(),
    };
    let (rows, ends) = chain_rows(&statement);
    for (walk, end) in statement.walks.iter_mut().zip(ends) {
        walk.end = end;
    }
    let air = ChainAir::new(&statement);
    let trace = chain_trace(rows, LOG_BLOWUP);
    let proof = prove(&config(DOMAIN_TAG), &air, trace, &statement.public_values())
        .map_err(SuccinctError::Proving)?;
    Ok((statement, StarkProof(proof)))
}

/// Verifies that `proof` proves `statement`.
pub fn verify_chain_walks(
    statement: &ChainWalkStatement,
    proof: &ChainWalkProof,
) -> Result<(), SuccinctError> {
    statement.validate()?;
    proof.check_height(trace_height(statement.walks.len()))?;
    let air = ChainAir::new(statement);
    verify(&config(DOMAIN_TAG), &air, &proof.0, &statement.public_values())
        .map_err(|e| Rejection::Stark(e).into())
}

/// The AIR of a statement, for the security estimate.
pub(crate) fn air_for(statement: &ChainWalkStatement) -> Result<ChainAir, SuccinctError> {
    statement.validate()?;
    Ok(ChainAir::new(statement))
}
