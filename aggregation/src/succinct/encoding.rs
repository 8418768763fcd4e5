//! A strict byte encoding of STARK proofs.
//!
//! Plonky3's proof types are only serde-serialisable, and no serde format of the approved dependency set
//! is canonical, so the proof is written here field by field:
//!
//! - a base-field element is its canonical value as a little-endian `u32`; any word `>= p` is refused;
//! - an extension element is its 4 base coordinates;
//! - a vector is a little-endian `u32` length followed by its items;
//! - an option is one tag byte, `0` (absent) or `1` (present), then the value;
//! - a commitment is exactly one 8-element digest (the Merkle cap has height 0);
//! - trailing bytes are refused.
//!
//! Every value has exactly one encoding. Shapes the verifier expects (widths, counts, heights) are not
//! re-checked here: the STARK verifier rejects them with its own typed error, without panicking.

use p3_field::{BasedVectorSpace, PrimeCharacteristicRing, PrimeField32};
use p3_fri::{BatchMultiOpening, CommitPhaseMultiStep, FriProof};
use p3_merkle_tree::PrunedMerklePaths;
use p3_symmetric::MerkleCap;
use p3_uni_stark::{Commitments, OpenedValues, PreprocessedOpenedValues, Proof};

use super::config::{Challenge, ChallengeMmcs, Config, DIGEST_ELEMS, Val, ValMmcs};
use super::error::ProofDecodeError;

/// The largest `degree_bits` a proof may claim (KoalaBear's two-adicity is 24).
pub(crate) const MAX_DEGREE_BITS: u8 = 24;

type Digest = [Val; DIGEST_ELEMS];
type Cap = MerkleCap<Val, Digest>;
pub(crate) type PcsProof = FriProof<Challenge, ChallengeMmcs, Val, Vec<BatchMultiOpening<Val, ValMmcs>>>;

/// Encodes a proof.
pub(crate) fn encode_proof(proof: &Proof<Config>) -> Vec<u8> {
    let mut w = Writer(Vec::new());
    w.cap(&proof.commitments.trace);
    w.cap(&proof.commitments.quotient_chunks);
    w.option(proof.commitments.random.as_ref(), Writer::cap);
    w.opened(&proof.opened_values);
    w.fri(&proof.opening_proof);
    w.0.push(proof.degree_bits as u8);
    w.val(proof.ood_pow_witness);
    w.0
}

/// Decodes a proof, refusing any non-canonical or malformed input.
pub(crate) fn decode_proof(bytes: &[u8]) -> Result<Proof<Config>, ProofDecodeError> {
    let mut r = Reader { bytes, pos: 0 };
    let commitments = Commitments {
        trace: r.cap("trace commitment")?,
        quotient_chunks: r.cap("quotient commitment")?,
        random: r.option("random commitment", |r| r.cap("random commitment"))?,
    };
    let opened_values = r.opened()?;
    let opening_proof = r.fri()?;
    let degree_bits = r.byte("degree_bits")?;
    if degree_bits > MAX_DEGREE_BITS {
        return Err(ProofDecodeError::DegreeBits { got: degree_bits, max: MAX_DEGREE_BITS });
    }
    let ood_pow_witness = r.val("ood_pow_witness")?;
    if r.pos != bytes.len() {
        return Err(ProofDecodeError::TrailingBytes { count: bytes.len() - r.pos });
    }
    Ok(Proof {
        commitments,
        opened_values,
        opening_proof,
        degree_bits: usize::from(degree_bits),
        ood_pow_witness,
    })
}

impl Writer {
    pub(crate) fn opened(&mut self, ov: &OpenedValues<Challenge>) {
        self.ext_vec(&ov.trace_local);
        self.option(ov.trace_next.as_ref(), |w, v| w.ext_vec(v));
        self.option(ov.preprocessed.as_ref(), |w, p| {
            w.ext_vec(&p.local);
            w.option(p.next.as_ref(), |w, v| w.ext_vec(v));
        });
        self.vec(&ov.quotient_chunks, |w, v| w.ext_vec(v));
        self.option(ov.random.as_ref(), |w, v| w.ext_vec(v));
    }

    pub(crate) fn fri(&mut self, fri: &PcsProof) {
        self.val(fri.batch_pow_witness);
        self.vec(&fri.commit_phase_commits, Writer::cap);
        self.vec(&fri.commit_pow_witnesses, |w, x| w.val(*x));
        self.vec(&fri.input_openings, |w, o| {
            w.vec(&o.opened_values, |w, q| w.vec(q, |w, row| w.vec(row, |w, x| w.val(*x))));
            w.paths(&o.opening_proof);
        });
        self.vec(&fri.commit_phase_openings, |w, step| {
            w.vec(&step.sibling_values, |w, v| w.ext_vec(v));
            w.paths(&step.opening_proof);
        });
        self.ext_vec(&fri.final_poly);
        self.val(fri.query_pow_witness);
    }
}

impl Reader<'_> {
    pub(crate) fn opened(&mut self) -> Result<OpenedValues<Challenge>, ProofDecodeError> {
        Ok(OpenedValues {
            trace_local: self.ext_vec("trace_local")?,
            trace_next: self.option("trace_next", |r| r.ext_vec("trace_next"))?,
            preprocessed: self.option("preprocessed openings", |r| {
                Ok(PreprocessedOpenedValues {
                    local: r.ext_vec("preprocessed local")?,
                    next: r.option("preprocessed next", |r| r.ext_vec("preprocessed next"))?,
                })
            })?,
            quotient_chunks: self.vec("quotient_chunks", 4, |r| r.ext_vec("quotient chunk"))?,
            random: self.option("random openings", |r| r.ext_vec("random openings"))?,
        })
    }

    pub(crate) fn fri(&mut self) -> Result<PcsProof, ProofDecodeError> {
        Ok(FriProof {
            batch_pow_witness: self.val("batch_pow_witness")?,
            commit_phase_commits: self
                .vec("commit_phase_commits", 32, |r| r.cap("commit phase commitment"))?,
            commit_pow_witnesses: self.vec("commit_pow_witnesses", 4, |r| r.val("commit pow witness"))?,
            input_openings: self.vec("input_openings", 8, |r| {
                Ok(BatchMultiOpening {
                    opened_values: r.vec("input opened values", 4, |r| {
                        r.vec("input query", 4, |r| r.vec("input row", 4, |r| r.val("input value")))
                    })?,
                    opening_proof: r.paths("input opening proof")?,
                })
            })?,
            commit_phase_openings: self.vec("commit_phase_openings", 8, |r| {
                Ok(CommitPhaseMultiStep {
                    sibling_values: r.vec("sibling_values", 4, |r| r.ext_vec("sibling values"))?,
                    opening_proof: r.paths("commit phase opening proof")?,
                })
            })?,
            final_poly: self.ext_vec("final_poly")?,
            query_pow_witness: self.val("query_pow_witness")?,
        })
    }
}

pub(crate) struct Writer(pub(crate) Vec<u8>);

impl Writer {
    pub(crate) fn val(&mut self, x: Val) {
        self.0.extend_from_slice(&x.as_canonical_u32().to_le_bytes());
    }

    pub(crate) fn len(&mut self, n: usize) {
        // Lengths are bounded by proof sizes far below 4 GiB.
        self.0.extend_from_slice(&(n as u32).to_le_bytes());
    }

    pub(crate) fn vec<T>(&mut self, items: &[T], mut put: impl FnMut(&mut Self, &T)) {
        self.len(items.len());
        for item in items {
            put(self, item);
        }
    }

    pub(crate) fn option<T>(&mut self, item: Option<&T>, put: impl FnOnce(&mut Self, &T)) {
        match item {
            None => self.0.push(0),
            Some(x) => {
                self.0.push(1);
                put(self, x);
            }
        }
    }

    pub(crate) fn ext_vec(&mut self, items: &[Challenge]) {
        self.vec(items, |w, x| {
            for &c in x.as_basis_coefficients_slice() {
                w.val(c);
            }
        });
    }

    pub(crate) fn digest(&mut self, d: &Digest) {
        for &x in d {
            self.val(x);
        }
    }

    pub(crate) fn cap(&mut self, cap: &Cap) {
        self.vec(cap.roots(), Writer::digest);
    }

    pub(crate) fn paths(&mut self, paths: &PrunedMerklePaths<Val, DIGEST_ELEMS>) {
        self.vec(&paths.sibling_hashes, Writer::digest);
    }
}

pub(crate) struct Reader<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) pos: usize,
}

impl Reader<'_> {
    pub(crate) fn take<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], ProofDecodeError> {
        let end = self.pos.checked_add(N).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or(ProofDecodeError::Truncated { what })?;
        let mut out = [0u8; N];
        out.copy_from_slice(&self.bytes[self.pos..end]);
        self.pos = end;
        Ok(out)
    }

    pub(crate) fn byte(&mut self, what: &'static str) -> Result<u8, ProofDecodeError> {
        Ok(self.take::<1>(what)?[0])
    }

    pub(crate) fn val(&mut self, what: &'static str) -> Result<Val, ProofDecodeError> {
        let value = u32::from_le_bytes(self.take::<4>(what)?);
        if value >= Val::ORDER_U32 {
            return Err(ProofDecodeError::NonCanonicalFieldElement { what, value });
        }
        Ok(Val::from_u32(value))
    }

    /// Reads a length and checks that `len` items of at least `min_item_bytes` each can still follow,
    /// so a forged length can never make the decoder allocate more than the input's size.
    pub(crate) fn vec<T>(
        &mut self,
        what: &'static str,
        min_item_bytes: usize,
        mut get: impl FnMut(&mut Self) -> Result<T, ProofDecodeError>,
    ) -> Result<Vec<T>, ProofDecodeError> {
        let len = u32::from_le_bytes(self.take::<4>(what)?) as usize;
        let remaining = self.bytes.len() - self.pos;
        if len.saturating_mul(min_item_bytes.max(1)) > remaining {
            return Err(ProofDecodeError::LengthExceedsInput { what, len, remaining });
        }
        (0..len).map(|_| get(self)).collect()
    }

    pub(crate) fn option<T>(
        &mut self,
        what: &'static str,
        get: impl FnOnce(&mut Self) -> Result<T, ProofDecodeError>,
    ) -> Result<Option<T>, ProofDecodeError> {
        match self.byte(what)? {
            0 => Ok(None),
            1 => get(self).map(Some),
            tag => Err(ProofDecodeError::OptionTag { what, tag }),
        }
    }

    pub(crate) fn ext_vec(&mut self, what: &'static str) -> Result<Vec<Challenge>, ProofDecodeError> {
        self.vec(what, 16, |r| {
            let coeffs = [r.val(what)?, r.val(what)?, r.val(what)?, r.val(what)?];
            Ok(Challenge::from_basis_coefficients_fn(|i| coeffs[i]))
        })
    }

    pub(crate) fn digest(&mut self, what: &'static str) -> Result<Digest, ProofDecodeError> {
        let mut d = [Val::ZERO; DIGEST_ELEMS];
        for x in &mut d {
            *x = self.val(what)?;
        }
        Ok(d)
    }

    pub(crate) fn cap(&mut self, what: &'static str) -> Result<Cap, ProofDecodeError> {
        let roots = self.vec(what, 4 * DIGEST_ELEMS, |r| r.digest(what))?;
        // Cap height 0: a commitment is exactly one root (MerkleCap::new would panic on other counts).
        if roots.len() != 1 {
            return Err(ProofDecodeError::CapSize { what, got: roots.len() });
        }
        Ok(MerkleCap::new(roots))
    }

    pub(crate) fn paths(
        &mut self,
        what: &'static str,
    ) -> Result<PrunedMerklePaths<Val, DIGEST_ELEMS>, ProofDecodeError> {
        Ok(PrunedMerklePaths { sibling_hashes: self.vec(what, 4 * DIGEST_ELEMS, |r| r.digest(what))? })
    }
}
