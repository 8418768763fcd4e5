//! `ndvt key …`: generate, import, show and sign through the durable signer.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use ndvt_xmss::durable::key_instance;
use ndvt_xmss::{DurableError, DurableSigner, Instance, PublicKey, SecretKey};

use crate::{Failure, InstanceArg, hexarg, with_instance};

/// `ndvt key` subcommands.
#[derive(Subcommand, Debug)]
pub enum KeyCommand {
    /// Generate a key pair into a new key directory.
    Generate {
        /// Parameter set.
        #[arg(long, value_enum)]
        instance: InstanceArg,
        /// The new key directory.
        #[arg(long)]
        out: PathBuf,
        /// 32-byte seed, hex, for a deterministic key (default: from the operating system).
        #[arg(long)]
        seed: Option<String>,
        /// First epoch of the activation range (rounded down to a bottom tree).
        #[arg(long, default_value_t = 0)]
        activation_start: u64,
        /// Number of active epochs (rounded up; default: the whole test lifetime, or 131,072 for devnet4).
        #[arg(long)]
        activation_epochs: Option<u64>,
    },
    /// Import a secret key (SSZ bytes, leanSig layout) into a new key directory.
    Import {
        /// Parameter set.
        #[arg(long, value_enum)]
        instance: InstanceArg,
        /// File holding the secret key's SSZ bytes.
        #[arg(long)]
        secret_key: PathBuf,
        /// The new key directory.
        #[arg(long)]
        out: PathBuf,
        /// The first epoch this key may sign: every earlier epoch is treated as used.
        #[arg(long)]
        first_epoch: u64,
    },
    /// Print the public key (hex).
    Public {
        /// Key directory.
        #[arg(long)]
        key: PathBuf,
    },
    /// Sign a 32-byte message at an epoch, through the durable no-reuse guard.
    Sign {
        /// Key directory.
        #[arg(long)]
        key: PathBuf,
        /// Epoch (slot).
        #[arg(long)]
        epoch: u64,
        /// Message, hex (32 bytes).
        #[arg(long)]
        message: String,
    },
    /// Show activation range, prepared window, watermark and remaining epochs.
    Info {
        /// Key directory.
        #[arg(long)]
        key: PathBuf,
    },
}

pub(crate) fn instance_of(dir: &Path) -> Result<InstanceArg, Failure> {
    let name = key_instance(dir).map_err(|e| Failure::invalid(e.to_string()))?;
    match name.as_str() {
        "devnet4" => Ok(InstanceArg::Devnet4),
        "test" => Ok(InstanceArg::Test),
        other => Err(Failure::invalid(format!("{}: unknown instance {other:?}", dir.display()))),
    }
}

pub(crate) fn durable_failure(e: DurableError) -> Failure {
    match e {
        DurableError::EpochUsed { .. } | DurableError::DifferentMessage { .. } => {
            Failure::refused(format!("refusing to sign: {e}"))
        }
        other => Failure::invalid(other.to_string()),
    }
}

fn generate<I: Instance>(
    out: &Path,
    seed: Option<&str>,
    start: u64,
    epochs: Option<u64>,
) -> anyhow::Result<()> {
    let seed = match seed {
        Some(s) => zeroize::Zeroizing::new(hexarg::bytes32("seed", s)?),
        None => {
            let mut s = zeroize::Zeroizing::new([0u8; 32]);
            getrandom::fill(s.as_mut()).map_err(|e| anyhow::anyhow!("no OS randomness: {e}"))?;
            s
        }
    };
    let epochs =
        epochs.unwrap_or(if I::LOG_LIFETIME <= 16 { I::LIFETIME } else { 2 * I::LEAVES_PER_BOTTOM_TREE });
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} bottom trees, {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(format!("generating {} key", I::NAME));
    let (sk, pk) = SecretKey::<I>::from_seed_with_progress(&seed, start, epochs, |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    let active = sk.activation();
    let signer = DurableSigner::create(out, sk, active.start)?;
    println!("{}", hex::encode(pk.to_bytes()));
    eprintln!(
        "generated {} key in {}: activation [{}, {}), prepared [{}, {})",
        I::NAME,
        signer.dir().display(),
        active.start,
        active.end,
        signer.key().prepared().start,
        signer.key().prepared().end
    );
    Ok(())
}

fn import<I: Instance>(file: &Path, out: &Path, first_epoch: u64) -> anyhow::Result<()> {
    let bytes =
        zeroize::Zeroizing::new(std::fs::read(file).with_context(|| format!("reading {}", file.display()))?);
    let sk = SecretKey::<I>::from_bytes(&bytes)?;
    sk.check_consistency()?;
    let signer = DurableSigner::create(out, sk, first_epoch)?;
    println!("{}", hex::encode(signer.public_key().to_bytes()));
    eprintln!("imported into {}; first signable epoch {}", out.display(), signer.record().next_epoch);
    Ok(())
}

fn public<I: Instance>(dir: &Path) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(dir.join("public.ssz")).with_context(|| format!("reading {}", dir.display()))?;
    println!("{}", hex::encode(PublicKey::<I>::from_bytes(&bytes)?.to_bytes()));
    Ok(())
}

fn sign<I: Instance>(dir: &Path, epoch: u64, message: &str) -> Result<(), Failure> {
    let message = hexarg::bytes32("message", message)?;
    let mut signer = DurableSigner::<I>::open(dir).map_err(durable_failure)?;
    if epoch >= signer.key().prepared().end {
        eprintln!("advancing the prepared window to epoch {epoch} (one bottom tree at a time)…");
    }
    signer.prepare_until(epoch).map_err(durable_failure)?;
    let signature = signer.sign_at(epoch, &message).map_err(durable_failure)?;
    println!("{}", hex::encode(signature.to_bytes()));
    Ok(())
}

fn info<I: Instance>(dir: &Path) -> Result<(), Failure> {
    let signer = DurableSigner::<I>::open(dir).map_err(durable_failure)?;
    let (active, window, record) = (signer.key().activation(), signer.key().prepared(), signer.record());
    println!("instance: {}", I::NAME);
    println!("public key: {}", hex::encode(signer.public_key().to_bytes()));
    println!("activation: [{}, {})", active.start, active.end);
    println!("prepared window: [{}, {})", window.start, window.end);
    match record.watermark() {
        Some(w) => println!("watermark: {w}"),
        None => println!("watermark: none (no signature yet)"),
    }
    println!("next signable epoch: {}", record.next_epoch);
    println!("remaining epochs: {}", signer.remaining());
    Ok(())
}

/// Runs a `key` subcommand.
pub fn run(cmd: KeyCommand) -> Result<(), Failure> {
    match cmd {
        KeyCommand::Generate { instance, out, seed, activation_start, activation_epochs } => {
            with_instance!(instance, I => generate::<I>(&out, seed.as_deref(), activation_start, activation_epochs))
                .map_err(Failure::from)
        }
        KeyCommand::Import { instance, secret_key, out, first_epoch } => {
            with_instance!(instance, I => import::<I>(&secret_key, &out, first_epoch)).map_err(Failure::from)
        }
        KeyCommand::Public { key } => with_instance!(instance_of(&key)?, I => public::<I>(&key)).map_err(Failure::from),
        KeyCommand::Sign { key, epoch, message } => with_instance!(instance_of(&key)?, I => sign::<I>(&key, epoch, &message)),
        KeyCommand::Info { key } => with_instance!(instance_of(&key)?, I => info::<I>(&key)),
    }
}
