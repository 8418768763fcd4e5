//! Proofs that Merkle openings lead from leaves to roots.
//!
//! Statement: for every path, the leaf at `position` of a depth-`depth` ndvt-xmss key tree with public
//! `parameter` hashes up to `root` (nodes `compress24(parameter ‖ tree_tweak(level, pos) ‖ left ‖ right)`).
//! The co-paths are the private witness; everything else is public and absorbed by the transcript.

use ndvt_xmss::{Digest, Parameter};
use p3_field::PrimeCharacteristicRing;
use p3_uni_stark::{prove, verify};

use super::config::{LOG_BLOWUP, Val, config};
use super::error::{Rejection, SuccinctError};
use super::merkle_air::{HEADER_VALUES, MerkleAir, PATH_VALUES, merkle_rows, trace_height};
use super::poseidon_air::poseidon24_trace;
use super::proof::StarkProof;

/// The deepest tree supported (Devnet 4 keys have depth 32).
pub const MAX_DEPTH: u8 = 32;
/// The most paths one proof may cover.
pub const MAX_PATHS: usize = 1 << 12;

const DOMAIN_TAG: &[u8] = b"ndvt/succinct/merkle-path/v1";

/// What the prover is given for one path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerkleOpening {
    /// The key's public hash parameter.
    pub parameter: Parameter,
    /// The leaf's position (the epoch).
    pub position: u32,
    /// The leaf.
    pub leaf: Digest,
    /// The siblings from the leaf level up (`depth` of them).
    pub co_path: Vec<Digest>,
}

/// A claimed path: the leaf at `position` hashes up to `root`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MerklePath {
    /// The key's public hash parameter.
    pub parameter: Parameter,
    /// The leaf's position (the epoch).
    pub position: u32,
    /// The leaf.
    pub leaf: Digest,
    /// The root the path reaches.
    pub root: Digest,
}

/// The public statement of a Merkle-path proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerklePathStatement {
    /// The tree depth (every path has this many levels).
    pub depth: u8,
    /// The paths, in trace order.
    pub paths: Vec<MerklePath>,
}

/// A STARK proof of a [`MerklePathStatement`].
pub type MerklePathProof = StarkProof;

fn check_shape(depth: u8, paths: usize) -> Result<(), SuccinctError> {
    if depth == 0 || depth > MAX_DEPTH {
        return Err(SuccinctError::Depth { got: depth, max: MAX_DEPTH });
    }
    match paths {
        0 => Err(SuccinctError::NoPaths),
        n if n > MAX_PATHS => Err(SuccinctError::TooManyPaths { got: n, max: MAX_PATHS }),
        _ => Ok(()),
    }
}

fn check_position(index: usize, depth: u8, position: u32) -> Result<(), SuccinctError> {
    if depth < 32 && position >> depth != 0 {
        return Err(SuccinctError::PositionOutOfTree { index, position, depth });
    }
    Ok(())
}

impl MerklePathStatement {
    fn validate(&self) -> Result<(), SuccinctError> {
        check_shape(self.depth, self.paths.len())?;
        for (index, path) in self.paths.iter().enumerate() {
            check_position(index, self.depth, path.position)?;
        }
        Ok(())
    }

    /// The public values the transcript absorbs: the whole statement, injectively.
    fn public_values(&self) -> Vec<Val> {
        let mut out = Vec::with_capacity(HEADER_VALUES + PATH_VALUES * self.paths.len());
        out.push(Val::from_u8(self.depth));
        out.push(Val::from_usize(self.paths.len()));
        for p in &self.paths {
            out.extend_from_slice(&p.parameter);
            out.push(Val::from_u32(p.position & 0xffff));
            out.push(Val::from_u32(p.position >> 16));
            out.extend_from_slice(&p.leaf);
            out.extend_from_slice(&p.root);
        }
        out
    }
}

/// Hashes every opening up to its root and proves it: returns the statement (with the roots) and its proof.
pub fn prove_merkle_paths(
    depth: u8,
    openings: &[MerkleOpening],
) -> Result<(MerklePathStatement, MerklePathProof), SuccinctError> {
    check_shape(depth, openings.len())?;
    for (index, o) in openings.iter().enumerate() {
        check_position(index, depth, o.position)?;
        if o.co_path.len() != usize::from(depth) {
            return Err(SuccinctError::CoPathLength { index, got: o.co_path.len(), expected: depth });
        }
    }
    let (rows, roots) = merkle_rows(depth, openings);
    let statement = MerklePathStatement {
        depth,
        paths: openings
            .iter()
            .zip(roots)
            .map(|(o, root)| MerklePath { parameter: o.parameter, position: o.position, leaf: o.leaf, root })
            .collect(),
    };
    let air = MerkleAir::new(&statement);
    let proof =
        prove(&config(DOMAIN_TAG), &air, poseidon24_trace(rows, LOG_BLOWUP), &statement.public_values())
            .map_err(SuccinctError::Proving)?;
    Ok((statement, StarkProof(proof)))
}

/// Verifies that `proof` proves `statement`.
pub fn verify_merkle_paths(
    statement: &MerklePathStatement,
    proof: &MerklePathProof,
) -> Result<(), SuccinctError> {
    statement.validate()?;
    proof.check_height(trace_height(statement.depth, statement.paths.len()))?;
    let air = MerkleAir::new(statement);
    verify(&config(DOMAIN_TAG), &air, &proof.0, &statement.public_values())
        .map_err(|e| Rejection::Stark(e).into())
}

/// The AIR of a statement, for the security estimate.
pub(crate) fn merkle_air_for(statement: &MerklePathStatement) -> Result<MerkleAir, SuccinctError> {
    statement.validate()?;
    Ok(MerkleAir::new(statement))
}
