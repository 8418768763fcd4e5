//! The proof system: a univariate STARK over KoalaBear, committed with FRI.
//!
//! Commitments are Merkle trees of width-16 Poseidon2 (Plonky3's default KoalaBear constants, 8-element
//! digests, about 124 bits of collision resistance); challenges come from the degree-4 extension of
//! KoalaBear (about 2^124 elements). The FRI parameters below are sized for at least 100 bits of
//! conjectured security on the instances this module proves; [`super::security`] reports the exact
//! figures through Plonky3's own estimator so the claim can be checked rather than trusted.

use p3_challenger::{CanObserve, DuplexChallenger};
use p3_commit::ExtensionMmcs;
use p3_dft::Radix2DitParallel;
use p3_field::extension::BinomialExtensionField;
use p3_field::{Field, PrimeCharacteristicRing};
use p3_fri::{FriParameters, TwoAdicFriPcs};
use p3_koala_bear::{KoalaBear, Poseidon2KoalaBear, default_koalabear_poseidon2_16};
use p3_merkle_tree::MerkleTreeMmcs;
use p3_symmetric::{PaddingFreeSponge, TruncatedPermutation};
use p3_uni_stark::StarkConfig;

/// The base field of every trace.
pub type Val = KoalaBear;
/// The challenge field: the degree-4 binomial extension of KoalaBear.
pub type Challenge = BinomialExtensionField<Val, 4>;
/// Elements in a commitment digest.
pub const DIGEST_ELEMS: usize = 8;

type Perm = Poseidon2KoalaBear<16>;
type Hash = PaddingFreeSponge<Perm, 16, 8, DIGEST_ELEMS>;
type Compress = TruncatedPermutation<Perm, 2, DIGEST_ELEMS, 16>;
pub(crate) type ValMmcs =
    MerkleTreeMmcs<<Val as Field>::Packing, <Val as Field>::Packing, Hash, Compress, 2, DIGEST_ELEMS>;
pub(crate) type ChallengeMmcs = ExtensionMmcs<Val, Challenge, ValMmcs>;
type Dft = Radix2DitParallel<Val>;
pub(crate) type Pcs = TwoAdicFriPcs<Val, Dft, ValMmcs, ChallengeMmcs>;
pub(crate) type Challenger = DuplexChallenger<Val, Perm, 16, 8>;
/// The STARK configuration shared by prover and verifier.
pub type Config = StarkConfig<Pcs, Challenge, Challenger>;

/// log2 of the FRI blowup factor (the code rate is 1/4).
pub const LOG_BLOWUP: usize = 2;
/// Number of FRI queries.
pub const NUM_QUERIES: usize = 46;
/// Proof-of-work bits ground before the FRI queries are sampled.
pub const QUERY_POW_BITS: usize = 16;
/// Proof-of-work bits ground before each FRI folding challenge.
pub const COMMIT_POW_BITS: usize = 0;
/// Proof-of-work bits ground before the opening-batching challenge. Without them the batched-openings
/// round, whose error grows with the trace height, drops conjectured security below 100 bits from
/// 2^13 rows on.
pub const BATCH_POW_BITS: usize = 16;
/// Proof-of-work bits ground before the LogUp challenges `(alpha, beta)` of an aggregate proof (batch
/// STARK) are drawn. The LogUp fingerprint error grows with the number of bus denominators, about 2^21 at
/// the largest aggregate, which leaves that term near 98 bits without grinding; eight bits lift it above
/// every other term at every supported size (`super::security::aggregate_security`). The stand-alone
/// proofs have no lookups and do not grind here.
pub const LOOKUP_POW_BITS: usize = 8;
/// Proof-of-work bits ground before the out-of-domain point: none (the DEEP term never binds).
pub const OOD_POW_BITS: usize = 0;
/// log2 of the FRI folding arity.
pub const MAX_LOG_ARITY: usize = 1;
/// log2 of the length of the final FRI polynomial, sent in the clear.
pub const LOG_FINAL_POLY_LEN: usize = 0;

fn val_mmcs(perm: &Perm) -> ValMmcs {
    // Cap height 0: a commitment is the single Merkle root.
    ValMmcs::new(Hash::new(perm.clone()), Compress::new(perm.clone()), 0)
}

/// The FRI parameters of every proof, with a fresh commitment scheme (for the security estimate).
pub(crate) fn fri_parameters_standalone() -> FriParameters<ChallengeMmcs> {
    fri_parameters(ChallengeMmcs::new(val_mmcs(&default_koalabear_poseidon2_16())))
}

/// The FRI parameters of every proof.
fn fri_parameters(mmcs: ChallengeMmcs) -> FriParameters<ChallengeMmcs> {
    FriParameters {
        log_blowup: LOG_BLOWUP,
        log_final_poly_len: LOG_FINAL_POLY_LEN,
        max_log_arity: MAX_LOG_ARITY,
        num_queries: NUM_QUERIES,
        batch_proof_of_work_bits: BATCH_POW_BITS,
        commit_proof_of_work_bits: COMMIT_POW_BITS,
        query_proof_of_work_bits: QUERY_POW_BITS,
        mmcs,
    }
}

/// The grinding sites outside FRI that a proof of [`batch_config`] enforces, for the security estimate.
pub(crate) fn batch_grinding_sites() -> p3_security::GrindingSites {
    p3_security::GrindingSites {
        out_of_domain: OOD_POW_BITS,
        lookup_challenge: LOOKUP_POW_BITS,
        ..fri_parameters_standalone().grinding_sites()
    }
}

/// The configuration of a batch (multi-table) proof: [`config`] plus the lookup grinding, which the
/// batch prover performs and the batch verifier checks before the LogUp challenges.
pub(crate) fn batch_config(domain_tag: &[u8]) -> Config {
    config(domain_tag)
        .with_lookup_proof_of_work_bits(LOOKUP_POW_BITS)
        .with_ood_proof_of_work_bits(OOD_POW_BITS)
}

/// The configuration whose transcript starts by absorbing `domain_tag`, so that proofs of different
/// statements kinds (chain walks, signatures, aggregates) can never be replayed across kinds.
pub(crate) fn config(domain_tag: &[u8]) -> Config {
    let perm = default_koalabear_poseidon2_16();
    let val_mmcs = val_mmcs(&perm);
    let challenge_mmcs = ChallengeMmcs::new(val_mmcs.clone());
    let pcs = Pcs::new(Dft::default(), val_mmcs, fri_parameters(challenge_mmcs));
    let mut challenger = Challenger::new(perm);
    // Bytes are absorbed one field element each: the tag is short and this keeps the map injective.
    challenger.observe(Val::from_usize(domain_tag.len()));
    for &b in domain_tag {
        challenger.observe(Val::from_u8(b));
    }
    Config::new(pcs, challenger)
}
