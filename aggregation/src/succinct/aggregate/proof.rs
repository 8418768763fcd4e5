//! Proving and verifying aggregates, and the proof's strict byte encoding.

use ndvt_xmss::primitives::{codeword, walk_all};
use ndvt_xmss::{BatchItem, Devnet4, verify_batch};
use p3_batch_stark::proof::OpenedValuesWithLookups;
use p3_batch_stark::{BatchCommitments, BatchOpenedValues, BatchProof, ProverData, StarkInstance};
use p3_field::BasedVectorSpace;
use p3_lookup::LookupTerminal;
use p3_matrix::Matrix;
use p3_matrix::dense::RowMajorMatrix;
use rayon::prelude::*;

use super::super::config::{Challenge, Config, Val, batch_config};
use super::super::encoding::{MAX_DEGREE_BITS, Reader, Writer};
use super::super::error::{ProofDecodeError, Rejection, SuccinctError};
use super::statement::{AggregateStatement, Contribution};
use super::tables::{Table, tables};
use super::{
    CHAINS, DEPTH, SignerWitness, TOP, chain_table, key_table, merkle_table, sig_table, sponge_table,
    tweak_table,
};

pub(crate) const DOMAIN_TAG: &[u8] = b"ndvt/succinct/aggregate/v1";

/// A STARK proof of an [`AggregateStatement`].
pub struct AggregateProof(pub(super) BatchProof<Config>);

impl core::fmt::Debug for AggregateProof {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "AggregateProof(degree_bits = {:?})", self.0.degree_bits)
    }
}

/// log2 of each table's height, in table order, for `signatures` signatures and `entries` keys.
pub(crate) fn degree_bits(signatures: usize, entries: usize) -> Vec<usize> {
    [
        sig_table::height(signatures),
        chain_table::height(signatures),
        sponge_table::height(signatures),
        merkle_table::height(signatures),
        key_table::height(entries),
        tweak_table::HEIGHT,
    ]
    .map(|h| h.trailing_zeros() as usize)
    .to_vec()
}

/// Each table's public values: the key table carries the key entries and then the participation.
fn public_values(statement: &AggregateStatement, entries: &[[Val; key_table::ENTRY]]) -> Vec<Vec<Val>> {
    let sig = sig_table::public_values(&statement.message, statement.epoch, statement.participants.len());
    let mut keys: Vec<Val> = entries.iter().flatten().copied().collect();
    keys.extend(statement.participation.public_values());
    vec![sig, vec![], vec![], vec![], keys, vec![]]
}

/// The tables of `statement`.
fn statement_tables(statement: &AggregateStatement, entries: &[[Val; key_table::ENTRY]]) -> Vec<Table> {
    tables(statement.epoch, entries, statement.participation.public_values().len())
}

/// The signers the proof counts: for each participant, its `m` lowest-indexed members with a valid
/// signature, sorted by participant and member.
pub(crate) fn select_signers(
    statement: &AggregateStatement,
    contributions: &[Contribution],
) -> Result<Vec<SignerWitness>, SuccinctError> {
    let mut keys = Vec::with_capacity(contributions.len());
    for c in contributions {
        let participant =
            statement.participants.get(c.participant).ok_or(SuccinctError::UnknownParticipant {
                participant: c.participant,
                participants: statement.participants.len(),
            })?;
        let Some(pk) = participant.members().get(usize::from(c.member)) else {
            return Err(SuccinctError::UnknownMember { participant: c.participant, member: c.member });
        };
        keys.push(pk);
    }
    let items: Vec<BatchItem<'_, Devnet4>> = keys
        .iter()
        .zip(contributions)
        .map(|(pk, c)| BatchItem {
            public_key: pk,
            epoch: u64::from(statement.epoch),
            message: &statement.message,
            signature: &c.signature,
        })
        .collect();
    let mut chosen: Vec<Vec<&Contribution>> = vec![Vec::new(); statement.participants.len()];
    for (c, verdict) in contributions.iter().zip(verify_batch(&items)) {
        if verdict.is_err() {
            return Err(SuccinctError::InvalidSignature { participant: c.participant, member: c.member });
        }
        if !chosen[c.participant].iter().any(|d| d.member == c.member) {
            chosen[c.participant].push(c);
        }
    }
    let mut counted = Vec::with_capacity(statement.signatures());
    for (q, (participant, mut offered)) in statement.participants.iter().zip(chosen).enumerate() {
        let need = usize::from(participant.threshold());
        if offered.len() < need {
            return Err(SuccinctError::BelowThreshold { participant: q, got: offered.len(), need });
        }
        offered.sort_by_key(|c| c.member);
        counted.extend(offered[..need].iter().map(|&c| (q, participant, c)));
    }
    counted
        .into_par_iter()
        .map(|(q, participant, c)| {
            let pk = &participant.members()[usize::from(c.member)];
            witness(statement, q, participant.threshold(), pk, c)
        })
        .collect()
}

pub(crate) fn witness(
    statement: &AggregateStatement,
    participant: usize,
    threshold: u8,
    pk: &ndvt_xmss::PublicKey<Devnet4>,
    c: &Contribution,
) -> Result<SignerWitness, SuccinctError> {
    let sig = &c.signature;
    let parameter = *pk.parameter();
    let mut digits = [0u8; CHAINS];
    codeword::<Devnet4>(&parameter, statement.epoch, sig.rho(), &statement.message, &mut digits)
        .map_err(|_| SuccinctError::InvalidSignature { participant, member: c.member })?;
    let mut ends = sig.hashes().to_vec();
    walk_all(&parameter, statement.epoch, &mut ends, &digits, &[TOP as u8; CHAINS]);
    Ok(SignerWitness {
        participant,
        member: c.member,
        threshold,
        parameter,
        root: *pk.root(),
        rho: *sig.rho(),
        digits,
        hashes: sig.hashes().to_vec(),
        ends,
        co_path: sig.path().to_vec(),
    })
}

/// Proves that every participant of `statement` reached its threshold, from the members' signatures.
///
/// Every contribution is verified first; the proof counts exactly `m` signatures per participant (its
/// lowest-indexed valid members), so its size depends only on the statement.
pub fn prove_aggregate(
    statement: &AggregateStatement,
    contributions: &[Contribution],
) -> Result<AggregateProof, SuccinctError> {
    statement.validate()?;
    let signers = select_signers(statement, contributions)?;
    prove_signers(statement, &signers)
}

/// Proves the given signer rows as they are (the soundness tests feed it dishonest witnesses).
pub(crate) fn prove_signers(
    statement: &AggregateStatement,
    signers: &[SignerWitness],
) -> Result<AggregateProof, SuccinctError> {
    prove_signers_with(statement, signers, &batch_config(DOMAIN_TAG))
}

/// [`prove_signers`] under another configuration (a test proves without the lookup grinding).
pub(crate) fn prove_signers_with(
    statement: &AggregateStatement,
    signers: &[SignerWitness],
    config: &Config,
) -> Result<AggregateProof, SuccinctError> {
    // Heights come from the statement, as the verifier's do, whatever rows a (dishonest) caller passes.
    let (epoch, n) = (statement.epoch, statement.signatures());
    let entries = statement.key_entries();
    // The tables are independent but for the leaves the sponge hands the Merkle table.
    let (sig, (chain, (sponge, merkle))) = rayon::join(
        || sig_table::sig_trace(signers, &statement.message, epoch),
        || {
            rayon::join(
                || chain_table::chain_trace(signers, chain_table::height(n), epoch),
                || {
                    let (sponge, leaves) =
                        sponge_table::sponge_trace(signers, sponge_table::height(n), epoch);
                    (sponge, merkle_table::merkle_trace(signers, &leaves, merkle_table::height(n), epoch))
                },
            )
        },
    );
    let sig = sig.ok_or(SuccinctError::MessageHashAborts)?;
    let (chain, chain_uses) = chain.ok_or(SuccinctError::TargetSumMissed)?;
    let uses: Vec<usize> = signers
        .iter()
        .filter(|w| w.participant < statement.participants.len())
        .map(|w| statement.entry_index(w.participant, w.member))
        .filter(|&e| e < entries.len())
        .collect();
    let key = key_table::key_trace(&entries, &uses);
    let tweak = tweak_table::tweak_trace(epoch, &chain_uses, &[signers.len() as u32; DEPTH]);
    let airs = statement_tables(statement, &entries);
    let traces: [&RowMajorMatrix<Val>; 6] = [&sig, &chain, &sponge, &merkle, &key, &tweak];
    let bits: Vec<usize> = traces.iter().map(|t| t.height().trailing_zeros() as usize).collect();
    let data = ProverData::from_airs_and_degrees(config, &airs, &bits).map_err(SuccinctError::Proving)?;
    let instances = StarkInstance::new_multiple(&airs, &traces, &public_values(statement, &entries));
    let proof = p3_batch_stark::prove_batch(config, &instances, &data).map_err(SuccinctError::Proving)?;
    Ok(AggregateProof(proof))
}

/// Verifies that `proof` proves `statement`.
pub fn verify_aggregate(statement: &AggregateStatement, proof: &AggregateProof) -> Result<(), SuccinctError> {
    statement.validate()?;
    let entries = statement.key_entries();
    let expected = degree_bits(statement.signatures(), entries.len());
    if proof.0.degree_bits != expected {
        return Err(Rejection::Heights { got: proof.0.degree_bits.clone(), expected }.into());
    }
    let airs = statement_tables(statement, &entries);
    let config = batch_config(DOMAIN_TAG);
    let data =
        ProverData::from_airs_and_degrees(&config, &airs, &expected).map_err(SuccinctError::Proving)?;
    p3_batch_stark::verify_batch(&config, &airs, &proof.0, &public_values(statement, &entries), &data.common)
        .map_err(|e| Rejection::Batch(e).into())
}

impl AggregateProof {
    /// The strict byte encoding (the `encoding` module's rules; see `docs/SUCCINCT.md`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let p = &self.0;
        let mut w = Writer(Vec::new());
        w.cap(&p.commitments.main);
        w.option(p.commitments.permutation.as_ref(), Writer::cap);
        w.cap(&p.commitments.quotient_chunks);
        w.option(p.commitments.random.as_ref(), Writer::cap);
        w.vec(&p.opened_values.instances, |w, inst| {
            w.opened(&inst.base_opened_values);
            w.ext_vec(&inst.permutation_local);
            w.ext_vec(&inst.permutation_next);
        });
        w.fri(&p.opening_proof);
        w.vec(&p.lookup_terminals, |w, t| {
            w.option(t.as_ref(), |w, t| {
                for &c in t.0.as_basis_coefficients_slice() {
                    w.val(c);
                }
            })
        });
        w.vec(&p.degree_bits, |w, &d| w.0.push(d as u8));
        w.option(p.lookup_pow_witness.as_ref(), |w, x| w.val(*x));
        w.val(p.ood_pow_witness);
        w.0
    }

    /// Decodes proof bytes; malformed input is an error, never a panic.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SuccinctError> {
        let mut r = Reader { bytes, pos: 0 };
        let commitments = BatchCommitments {
            main: r.cap("main commitment")?,
            permutation: r.option("permutation commitment", |r| r.cap("permutation commitment"))?,
            quotient_chunks: r.cap("quotient commitment")?,
            random: r.option("random commitment", |r| r.cap("random commitment"))?,
        };
        let instances = r.vec("instances", 16, |r| {
            Ok(OpenedValuesWithLookups {
                base_opened_values: r.opened()?,
                permutation_local: r.ext_vec("permutation_local")?,
                permutation_next: r.ext_vec("permutation_next")?,
            })
        })?;
        let opening_proof = r.fri()?;
        let lookup_terminals = r.vec("lookup_terminals", 1, |r| {
            r.option("lookup terminal", |r| {
                let c = [r.val("terminal")?, r.val("terminal")?, r.val("terminal")?, r.val("terminal")?];
                Ok(LookupTerminal(Challenge::from_basis_coefficients_fn(|i| c[i])))
            })
        })?;
        let degree_bits = r.vec("degree_bits", 1, |r| {
            let d = r.byte("degree_bits")?;
            if d > MAX_DEGREE_BITS {
                return Err(ProofDecodeError::DegreeBits { got: d, max: MAX_DEGREE_BITS });
            }
            Ok(usize::from(d))
        })?;
        let lookup_pow_witness = r.option("lookup_pow_witness", |r| r.val("lookup_pow_witness"))?;
        let ood_pow_witness = r.val("ood_pow_witness")?;
        if r.pos != bytes.len() {
            return Err(ProofDecodeError::TrailingBytes { count: bytes.len() - r.pos }.into());
        }
        Ok(AggregateProof(BatchProof {
            commitments,
            opened_values: BatchOpenedValues { instances },
            opening_proof,
            lookup_terminals,
            degree_bits,
            lookup_pow_witness,
            ood_pow_witness,
        }))
    }
}
