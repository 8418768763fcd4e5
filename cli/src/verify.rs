//! `ndvt verify`: strict decoding and verification of untrusted hex input.

use clap::Args;
use ndvt_xmss::{Instance, PublicKey};

use crate::{Failure, InstanceArg, hexarg};

/// Arguments of `ndvt verify`.
#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Parameter set.
    #[arg(long, value_parser = crate::instances::InstanceParser)]
    instance: InstanceArg,
    /// Public key, hex (52 bytes SSZ).
    #[arg(long)]
    public_key: String,
    /// Epoch (slot) the signature is for.
    #[arg(long)]
    epoch: u64,
    /// Message, hex (32 bytes).
    #[arg(long)]
    message: String,
    /// Signature, hex (SSZ).
    #[arg(long)]
    signature: String,
}

fn check<I: Instance>(args: &VerifyArgs) -> anyhow::Result<()> {
    let pk = PublicKey::<I>::from_bytes(&hexarg::bytes("public key", &args.public_key)?)?;
    let message = hexarg::bytes("message", &args.message)?;
    let signature = hexarg::bytes("signature", &args.signature)?;
    pk.verify_bytes(args.epoch, &message, &signature)?;
    Ok(())
}

/// Prints `valid` or `invalid: <reason>`.
pub fn run(args: &VerifyArgs) -> Result<(), Failure> {
    match with_instance!(args.instance, I => check::<I>(args)) {
        Ok(()) => {
            println!("valid");
            Ok(())
        }
        Err(e) => {
            let reason = crate::describe(e.as_ref());
            println!("invalid: {reason}");
            Err(Failure::invalid(format!("signature rejected: {reason}")))
        }
    }
}
