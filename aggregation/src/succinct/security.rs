//! The security level of the proofs, computed with Plonky3's own estimator (`p3-uni-stark`'s
//! `StarkSecurityParams`) from the exact AIR, trace height and FRI parameters, rather than asserted.

use p3_air::symbolic::{AirLayout, SymbolicAirBuilder};
use p3_air::{Air, BaseAir};
use p3_field::PrimeCharacteristicRing;
use p3_field::coset::TwoAdicMultiplicativeCoset;
use p3_uni_stark::{ConjecturedSecurity, OpeningShape, ProvenSecurity, StarkSecurityParams};

use super::chain_air::trace_height as chain_height;
use super::chain_walk::{ChainWalk, ChainWalkStatement, air_for};
use super::config::{Challenge, Val, fri_parameters_standalone};
use super::error::SuccinctError;
use super::leaf_sponge::{LeafClaim, LeafStatement, sponge_air_for};
use super::merkle_air::trace_height as merkle_height;
use super::merkle_path::{MerklePath, MerklePathStatement, merkle_air_for};
use super::message_air::trace_height as message_height;
use super::message_hash::{MessageClaim, MessageStatement, message_air_for};
use super::sponge_air::trace_height as sponge_height;

/// Bits of the challenge field KoalaBear^4, rounded down (4 · log2(p) ≈ 123.99).
pub const CHALLENGE_FIELD_BITS: usize = 123;
/// Collision resistance of the commitment hash in bits: 8 KoalaBear elements (≈ 248 bits) of Poseidon2.
pub const COLLISION_BITS: usize = 123;

/// Security levels of one proof shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecurityReport {
    /// log2 of the trace height.
    pub degree_bits: usize,
    /// Conjectured security (Plonky3's "random words" regime, eprint 2025/2010 §1.5).
    pub conjectured_bits: usize,
    /// Proven security (best of unique- and list-decoding regimes).
    pub proven_bits: usize,
}

fn report<A>(air: &A, height: usize) -> Result<SecurityReport, SuccinctError>
where
    A: BaseAir<Val> + Air<SymbolicAirBuilder<Val, Challenge>>,
{
    let fri = fri_parameters_standalone();
    let degree_bits = height.trailing_zeros() as usize;
    let domain = TwoAdicMultiplicativeCoset::new(Val::ONE, degree_bits)
        .ok_or(SuccinctError::TraceDomain { degree_bits })?;
    let params = StarkSecurityParams::from_air::<Val, Challenge, _>(
        fri.security_regime(),
        air,
        AirLayout::from_air::<Val>(air),
        domain,
        CHALLENGE_FIELD_BITS,
        COLLISION_BITS,
        // Constraints read the current and the next row.
        2,
        OpeningShape::new(),
        fri.grinding_sites(),
    );
    Ok(SecurityReport {
        degree_bits,
        conjectured_bits: ConjecturedSecurity::compute_from_params(&params, degree_bits).security_bits,
        proven_bits: ProvenSecurity::compute_from_proof(degree_bits, &params).security_bits(),
    })
}

/// The security of a chain-walk proof over `walks` walks.
pub fn chain_walk_security(walks: usize) -> Result<SecurityReport, SuccinctError> {
    let zero = [Val::ZERO; 8];
    let walk = ChainWalk { chain_index: 0, start_pos: 0, steps: 0, start: zero, end: zero };
    let statement = ChainWalkStatement { parameter: [Val::ZERO; 5], epoch: 0, walks: vec![walk; walks] };
    report(&air_for(&statement)?, chain_height(walks))
}

/// The security of a Merkle-path proof over `paths` paths of `depth` levels.
pub fn merkle_path_security(depth: u8, paths: usize) -> Result<SecurityReport, SuccinctError> {
    let zero = [Val::ZERO; 8];
    let path = MerklePath { parameter: [Val::ZERO; 5], position: 0, leaf: zero, root: zero };
    let statement = MerklePathStatement { depth, paths: vec![path; paths] };
    report(&merkle_air_for(&statement)?, merkle_height(depth, paths))
}

/// The security of a leaf-sponge proof over `leaves` leaves of `dimension` chains.
pub fn leaf_sponge_security(dimension: usize, leaves: usize) -> Result<SecurityReport, SuccinctError> {
    let zero = [Val::ZERO; 8];
    let leaf = LeafClaim { parameter: [Val::ZERO; 5], epoch: 0, ends: vec![zero; dimension], leaf: zero };
    let statement = LeafStatement { dimension, leaves: vec![leaf; leaves] };
    report(&sponge_air_for(&statement)?, sponge_height(dimension, leaves))
}

/// The security of a message-hash proof over `messages` Devnet 4 signatures.
pub fn message_hash_security(messages: usize) -> Result<SecurityReport, SuccinctError> {
    let claim = MessageClaim {
        parameter: [Val::ZERO; 5],
        epoch: 0,
        message: [0; 32],
        rho: [Val::ZERO; 7],
        codeword: [0; 46],
    };
    let statement = MessageStatement { claims: vec![claim; messages] };
    report(&message_air_for(&statement)?, message_height(messages))
}

pub use super::aggregate::soundness::{AggregateSecurity, SoundnessTerm};

/// The security of an aggregate proof of `signatures` signatures over a statement of `key_entries` member
/// keys (the key table's size), with every soundness term `p3-security` offers for the batch: the six
/// tables at their real heights, their constraints, committed columns and LogUp bus denominators, and
/// the grinding the prover performs. [`super::aggregate::MAX_KEY_ENTRIES`] keys at
/// [`super::MAX_SIGNATURES`] signatures is the largest shape the verifier accepts.
pub fn aggregate_security(signatures: usize, key_entries: usize) -> Result<AggregateSecurity, SuccinctError> {
    super::aggregate::soundness::aggregate_security(signatures, key_entries)
}
