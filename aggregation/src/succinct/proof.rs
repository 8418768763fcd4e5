//! The proof object shared by every statement kind: a uni-STARK proof with its strict byte encoding.

use p3_uni_stark::Proof;

use super::config::Config;
use super::encoding::{decode_proof, encode_proof};
use super::error::{Rejection, SuccinctError};

/// A STARK proof. Which statement it proves is fixed by the function that verifies it: every statement
/// kind starts its transcript with its own domain tag, so a proof of one kind never verifies as another.
pub struct StarkProof(pub(crate) Proof<Config>);

impl core::fmt::Debug for StarkProof {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "StarkProof(degree_bits = {})", self.0.degree_bits)
    }
}

impl StarkProof {
    /// The strict byte encoding (see the `encoding` module docs).
    pub fn to_bytes(&self) -> Vec<u8> {
        encode_proof(&self.0)
    }

    /// Decodes proof bytes; malformed input is an error, never a panic.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SuccinctError> {
        Ok(StarkProof(decode_proof(bytes)?))
    }

    /// log2 of the proven trace height.
    pub fn degree_bits(&self) -> usize {
        self.0.degree_bits
    }

    /// Refuses a proof whose trace height is not the one the statement needs.
    pub(crate) fn check_height(&self, height: usize) -> Result<(), SuccinctError> {
        if self.0.degree_bits == height.trailing_zeros() as usize {
            Ok(())
        } else {
            Err(Rejection::Heights {
                got: vec![self.0.degree_bits],
                expected: vec![height.trailing_zeros() as usize],
            }
            .into())
        }
    }
}
