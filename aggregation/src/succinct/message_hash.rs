//! Proofs that Devnet 4 message hashes decode to the claimed target-sum codewords.
//!
//! Statement: for every claim, ndvt-xmss's message hash of `(parameter, epoch, message, rho)` does not
//! abort and its first 46 base-8 digits are `codeword`, whose digits sum to 200 — what
//! `ndvt_xmss::primitives::codeword::<Devnet4>` accepts. Everything is public; step 2 will make the codeword
//! private and link it to the chain table's start positions.

use ndvt_xmss::primitives::{codeword, encode_message};
use ndvt_xmss::{Devnet4, Instance, Parameter, Rho};
use p3_field::PrimeCharacteristicRing;
use p3_uni_stark::{prove, verify};

use super::config::{LOG_BLOWUP, Val, config};
use super::error::{Rejection, SuccinctError};
use super::message_air::{CLAIM_VALUES, MessageAir, message_trace, trace_height};
use super::proof::StarkProof;

/// Chains of a Devnet 4 signature.
pub const CHAINS: usize = Devnet4::DIMENSION;
/// The Devnet 4 target sum.
pub const TARGET_SUM: usize = Devnet4::TARGET_SUM;
/// The most signatures one proof may cover.
pub const MAX_MESSAGES: usize = 1 << 12;

const _: () = assert!(Devnet4::BASE == 8 && CHAINS == 46);
// The circuit hard-codes the aborting decomposition with z = 8, Q = 127: Devnet 4 must use exactly that one.
const _: fn() = || {
    let _: <Devnet4 as ndvt_xmss::Instance>::Encoding = ndvt_xmss::AbortingHypercube::<8, 127>;
};

const DOMAIN_TAG: &[u8] = b"ndvt/succinct/message-hash/v1";

/// What the prover is given for one signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageInput {
    /// The key's public hash parameter.
    pub parameter: Parameter,
    /// The signed epoch.
    pub epoch: u32,
    /// The signed message.
    pub message: [u8; 32],
    /// The signature's randomness.
    pub rho: Rho,
}

/// A claimed codeword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageClaim {
    /// The key's public hash parameter.
    pub parameter: Parameter,
    /// The signed epoch.
    pub epoch: u32,
    /// The signed message.
    pub message: [u8; 32],
    /// The signature's randomness.
    pub rho: Rho,
    /// The codeword: one base-8 digit per chain.
    pub codeword: [u8; CHAINS],
}

/// The public statement of a message-hash proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageStatement {
    /// The claims, in trace order.
    pub claims: Vec<MessageClaim>,
}

fn check_count(n: usize) -> Result<(), SuccinctError> {
    match n {
        0 => Err(SuccinctError::NoMessages),
        n if n > MAX_MESSAGES => Err(SuccinctError::TooManyMessages { got: n, max: MAX_MESSAGES }),
        _ => Ok(()),
    }
}

impl MessageStatement {
    fn validate(&self) -> Result<(), SuccinctError> {
        check_count(self.claims.len())?;
        for (index, claim) in self.claims.iter().enumerate() {
            if claim.codeword.iter().any(|&d| d >= 8) {
                return Err(SuccinctError::DigitRange { index });
            }
            let sum: usize = claim.codeword.iter().map(|&d| usize::from(d)).sum();
            if sum != TARGET_SUM {
                return Err(SuccinctError::TargetSum { index, got: sum, expected: TARGET_SUM });
            }
        }
        Ok(())
    }

    /// The public values, for the AIR's unit tests.
    #[cfg(test)]
    pub(crate) fn public_values_for_tests(&self) -> Vec<Val> {
        self.public_values()
    }

    /// The public values the transcript absorbs: the whole statement, injectively.
    fn public_values(&self) -> Vec<Val> {
        let mut out = Vec::with_capacity(1 + CLAIM_VALUES * self.claims.len());
        out.push(Val::from_usize(self.claims.len()));
        for c in &self.claims {
            out.extend_from_slice(&c.parameter);
            out.push(Val::from_u32(c.epoch & 0xffff));
            out.push(Val::from_u32(c.epoch >> 16));
            out.extend_from_slice(&encode_message(&c.message));
            out.extend_from_slice(&c.rho);
            out.extend(c.codeword.map(Val::from_u8));
        }
        out
    }
}

/// Hashes every message, decodes its codeword and proves it.
pub fn prove_message_hashes(
    inputs: &[MessageInput],
) -> Result<(MessageStatement, StarkProof), SuccinctError> {
    check_count(inputs.len())?;
    let mut claims = Vec::with_capacity(inputs.len());
    for (index, i) in inputs.iter().enumerate() {
        let mut digits = [0u8; CHAINS];
        codeword::<Devnet4>(&i.parameter, i.epoch, &i.rho, &i.message, &mut digits)
            .map_err(|source| SuccinctError::Encoding { index, source })?;
        claims.push(MessageClaim {
            parameter: i.parameter,
            epoch: i.epoch,
            message: i.message,
            rho: i.rho,
            codeword: digits,
        });
    }
    let statement = MessageStatement { claims };
    let trace = message_trace(&statement.claims, LOG_BLOWUP).ok_or(SuccinctError::MessageHashAborts)?;
    let air = MessageAir::new(&statement.claims);
    let proof = prove(&config(DOMAIN_TAG), &air, trace, &statement.public_values())
        .map_err(SuccinctError::Proving)?;
    Ok((statement, StarkProof(proof)))
}

/// Verifies that `proof` proves `statement` (the codewords' range and target sum are checked here).
pub fn verify_message_hashes(statement: &MessageStatement, proof: &StarkProof) -> Result<(), SuccinctError> {
    statement.validate()?;
    proof.check_height(trace_height(statement.claims.len()))?;
    let air = MessageAir::new(&statement.claims);
    verify(&config(DOMAIN_TAG), &air, &proof.0, &statement.public_values())
        .map_err(|e| Rejection::Stark(e).into())
}

/// The AIR of a statement, for the security estimate.
pub(crate) fn message_air_for(statement: &MessageStatement) -> Result<MessageAir, SuccinctError> {
    check_count(statement.claims.len())?;
    Ok(MessageAir::new(&statement.claims))
}
