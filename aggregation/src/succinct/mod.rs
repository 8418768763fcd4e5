//! Succinct (STARK) proofs of XMSS verification, built step by step towards the m-of-n aggregate.
//!
//! Step 1 proves hash-chain walks: a Poseidon1 width-16 permutation table ([`poseidon16_air`]), identical
//! to leanSig's chain hash, and a chain table on top of it that proves that walks of up to [`MAX_STEPS`]
//! steps from public start values end at public end values, with ndvt-xmss's tweaks and feed-forward
//! ([`prove_chain_walks`]). Towards step 2 (one whole signature), a width-24 permutation table
//! ([`poseidon24_air`]) carries three more tables: Merkle paths from leaves to public roots through private
//! co-paths ([`prove_merkle_paths`]), leaf sponges from chain ends to leaves ([`prove_leaves`]), and Devnet 4
//! message hashes decoded into target-sum codewords ([`prove_message_hashes`]). Each is its own proof with
//! public inputs and outputs; linking them into one proof with private intermediates is not built yet
//! (see `docs/SUCCINCT.md`).
//!
//! Proofs are FRI-based STARKs over KoalaBear ([`config`] states the parameters and [`security`] the
//! resulting security level); their bytes have one strict encoding ([`StarkProof::to_bytes`]).
//!
//! ```
//! use ndvt_aggregation::succinct::{ChainWalkProof, WalkStart, prove_chain_walks, verify_chain_walks};
//! use ndvt_xmss::F;
//! use p3_field::PrimeCharacteristicRing;
//!
//! let parameter = [F::from_u32(7); 5];
//! let walks = [WalkStart { chain_index: 3, start_pos: 2, steps: 5, start: [F::from_u32(1); 8] }];
//! let (statement, proof) = prove_chain_walks(&parameter, 1234, &walks)?;
//! let expected = ndvt_xmss::primitives::walk(&parameter, 1234, 3, 2, 5, &[F::from_u32(1); 8]);
//! assert_eq!(statement.walks[0].end, expected);
//!
//! let proof = ChainWalkProof::from_bytes(&proof.to_bytes())?;
//! verify_chain_walks(&statement, &proof)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod aggregate;
mod chain_air;
mod chain_walk;
pub mod config;
mod encoding;
mod error;
pub mod fixture;
mod leaf_sponge;
mod merkle_air;
mod merkle_path;
mod message_air;
mod message_hash;
mod poseidon_air;
mod proof;
pub mod security;
mod sponge_air;

pub use aggregate::{
    AggregateProof, AggregateStatement, Contribution, Lean, MAX_KEY_ENTRIES, MAX_PROOF_BYTES, MAX_SIGNATURES,
    Participant, Participation, SuccinctAggregate, prove_aggregate, registry_commitment, statement_for,
    verify_aggregate,
};
pub use chain_air::BLOCK_ROWS;
pub use chain_walk::{
    ChainWalk, ChainWalkProof, ChainWalkStatement, MAX_STEPS, MAX_WALKS, WalkStart, prove_chain_walks,
    verify_chain_walks,
};
pub use error::{ProofDecodeError, Rejection, SuccinctError};
pub use leaf_sponge::{
    LeafClaim, LeafInput, LeafStatement, MAX_DIMENSION, MAX_LEAVES, prove_leaves, verify_leaves,
};
pub use merkle_path::{
    MAX_DEPTH, MAX_PATHS, MerkleOpening, MerklePath, MerklePathProof, MerklePathStatement,
    prove_merkle_paths, verify_merkle_paths,
};
pub use message_hash::{
    CHAINS, MAX_MESSAGES, MessageClaim, MessageInput, MessageStatement, TARGET_SUM, prove_message_hashes,
    verify_message_hashes,
};
pub use poseidon_air::{
    POSEIDON16_COLUMNS, POSEIDON24_COLUMNS, Poseidon16Air, Poseidon16Cols, Poseidon24Air, Poseidon24Cols,
    poseidon16_air, poseidon24_air,
};
pub use proof::StarkProof;
