//! `ndvt key …`: generate, import, show and sign through the durable signer (keystores and history:
//! `keystore_cmd.rs`).

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use ndvt_xmss::durable::{key_instance, read_capped, read_public_key};
use ndvt_xmss::{DurableError, DurableSigner, Instance, SecretKey};
use zeroize::Zeroizing;

use crate::{Failure, InstanceArg, hexarg};

/// The largest seed file: 64 hex digits, an optional `0x`, and surrounding whitespace.
const SEED_FILE_CAP: u64 = 256;

/// `ndvt key` subcommands.
#[derive(Subcommand, Debug)]
pub enum KeyCommand {
    /// Generate a key pair into a new key directory.
    ///
    /// Without a seed the key comes from fresh OS randomness and may sign from its activation start. With a
    /// seed (--seed or --seed-file) the key is re-derived: the same seed gives the same key, which may have
    /// signed before, so --first-epoch (above every epoch the key may ever have signed) is required.
    Generate {
        /// Parameter set.
        #[arg(long, value_parser = crate::instances::InstanceParser)]
        instance: InstanceArg,
        /// The new key directory.
        #[arg(long)]
        out: PathBuf,
        /// 32-byte seed, hex, for a deterministic key. Visible to every local user (/proc/PID/cmdline, shell
        /// history): prefer --seed-file.
        #[arg(long, conflicts_with = "seed_file")]
        seed: Option<String>,
        /// File holding the 32-byte seed as hex (`-` reads standard input).
        #[arg(long)]
        seed_file: Option<PathBuf>,
        /// First epoch the key may sign; every earlier epoch counts as used. Required with a seed.
        #[arg(long)]
        first_epoch: Option<u64>,
        /// First epoch of the activation range (leanSig sets round it down to a bottom tree; leanVM and the
        /// byte sets keep it exactly).
        #[arg(long, default_value_t = 0)]
        activation_start: u64,
        /// Number of active epochs: the range is [start, start + epochs − 1] (leanSig sets round it up to
        /// whole bottom trees). Default: the whole lifetime up to 2^16 epochs, else two bottom trees (131,072).
        #[arg(long)]
        activation_epochs: Option<u64>,
    },
    /// Import a key: a secret key (SSZ bytes, leanSig layout, with --instance and --first-epoch) into a new key
    /// directory, or an EIP-8310 keystore (--keystore; docs/KEYSTORE.md).
    ///
    /// A keystore's state snapshot is not authoritative: into a new directory --first-epoch (above every epoch
    /// the key may have signed anywhere) is required and the key starts at the higher of it and the snapshot;
    /// into a directory that holds the key, a record behind the snapshot is refused (exit 3) and nothing is
    /// ever lowered.
    #[command(group(clap::ArgGroup::new("source").required(true).args(["secret_key", "keystore"])))]
    Import {
        /// Parameter set (with --secret-key).
        #[arg(long, value_parser = crate::instances::InstanceParser, requires = "secret_key")]
        instance: Option<InstanceArg>,
        /// File holding the secret key's SSZ bytes.
        #[arg(long, requires = "instance")]
        secret_key: Option<PathBuf>,
        /// An EIP-8310 keystore file (the instance is read from it).
        #[arg(long, conflicts_with_all = ["instance", "secret_key"])]
        keystore: Option<PathBuf>,
        /// The key directory: new, or (with --keystore) one that already holds the key.
        #[arg(long)]
        out: PathBuf,
        /// The first epoch this key may sign: every earlier epoch is treated as used. Required with
        /// --secret-key, and with --keystore into a new directory.
        #[arg(long, required_unless_present = "keystore")]
        first_epoch: Option<u64>,
        /// The keystore's password.
        #[command(flatten)]
        password: crate::keystore_cmd::PasswordArgs,
    },
    /// Export a key directory's key to an EIP-8310 keystore (a copy: the key stays in the directory). Takes
    /// the key's lock: stop its signer first.
    Export {
        /// Key directory.
        #[arg(long)]
        key: PathBuf,
        /// The new keystore file (never overwritten; mode 0600).
        #[arg(long)]
        keystore: PathBuf,
        /// Key derivation function.
        #[arg(long, value_enum, default_value_t)]
        kdf: crate::keystore_cmd::KdfArg,
        /// The keystore's password.
        #[command(flatten)]
        password: crate::keystore_cmd::PasswordArgs,
    },
    /// Signing history in the EIP-3076 interchange format (one XMSS epoch per slot).
    #[command(subcommand)]
    History(crate::keystore_cmd::HistoryCommand),
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
    /// Show activation range, prepared window, watermark and remaining epochs (read-only: takes no lock).
    Info {
        /// Key directory.
        #[arg(long)]
        key: PathBuf,
    },
}

pub(crate) fn instance_of(dir: &Path) -> Result<InstanceArg, Failure> {
    let name = key_instance(dir).map_err(durable_failure)?;
    InstanceArg::from_name(&name)
        .ok_or_else(|| Failure::invalid(format!("{}: unknown instance {name:?}", dir.display())))
}

/// Maps a durable-signer error to its exit code: 3 when the signer refused, 1 otherwise.
pub(crate) fn durable_failure(e: DurableError) -> Failure {
    if e.is_refusal() {
        Failure::refused(format!("refusing to sign: {}", crate::describe(&e)))
    } else {
        Failure::invalid(crate::describe(&e))
    }
}

/// Where a key's seed comes from.
enum SeedSource<'a> {
    Fresh,
    Hex(&'a str),
    File(&'a Path),
}

impl SeedSource<'_> {
    fn read(&self) -> anyhow::Result<Zeroizing<[u8; 32]>> {
        let text = match self {
            SeedSource::Fresh => {
                let mut s = Zeroizing::new([0u8; 32]);
                getrandom::fill(s.as_mut()).map_err(|e| anyhow::anyhow!("no OS randomness: {e}"))?;
                return Ok(s);
            }
            SeedSource::Hex(s) => Zeroizing::new(s.to_string()),
            SeedSource::File(path) => {
                let bytes = Zeroizing::new(if path.as_os_str() == "-" {
                    let mut b = Vec::new();
                    std::io::stdin().take(SEED_FILE_CAP + 1).read_to_end(&mut b)?;
                    anyhow::ensure!(
                        b.len() as u64 <= SEED_FILE_CAP,
                        "the seed on standard input is too long"
                    );
                    b
                } else {
                    read_capped(path, SEED_FILE_CAP, "seed file")?
                });
                Zeroizing::new(
                    String::from_utf8(bytes.to_vec()).map_err(|_| anyhow::anyhow!("seed is not text"))?,
                )
            }
        };
        Ok(Zeroizing::new(hexarg::bytes32("seed", text.trim())?))
    }
}

struct Generate<'a> {
    out: &'a Path,
    seed: SeedSource<'a>,
    first_epoch: Option<u64>,
    start: u64,
    epochs: Option<u64>,
}

fn generate<I: Instance>(g: &Generate<'_>) -> anyhow::Result<()> {
    let seed = g.seed.read()?;
    let epochs = g.epochs.unwrap_or_else(ndvt_xmss::by_name::default_activation_epochs::<I>);
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} bottom trees, {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(format!("generating {} key", I::NAME));
    let (sk, pk) = SecretKey::<I>::from_seed_with_progress(&seed, g.start, epochs, |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    // A fresh seed has no history; a given one does, and `run` made sure its first epoch was given.
    let first_epoch = g.first_epoch.unwrap_or(sk.activation().start);
    let signer = DurableSigner::create(g.out, sk, first_epoch)?;
    println!("{}", hex::encode(pk.to_bytes()));
    let (active, window) = (signer.activation(), signer.prepared());
    eprintln!(
        "generated {} key in {}: activation [{}, {}), prepared [{}, {}), first signable epoch {}",
        I::NAME,
        signer.dir().display(),
        active.start,
        active.end,
        window.start,
        window.end,
        signer.record().next_epoch
    );
    Ok(())
}

fn import<I: Instance>(file: &Path, out: &Path, first_epoch: u64) -> anyhow::Result<()> {
    let bytes = Zeroizing::new(read_capped(file, SecretKey::<I>::MAX_ENCODED_LEN as u64, "secret key")?);
    let sk = SecretKey::<I>::from_bytes(&bytes)?;
    sk.check_consistency()?;
    let signer = DurableSigner::create(out, sk, first_epoch)?;
    println!("{}", hex::encode(signer.public_key().to_bytes()));
    eprintln!("imported into {}; first signable epoch {}", out.display(), signer.record().next_epoch);
    Ok(())
}

fn public<I: Instance>(dir: &Path) -> Result<(), Failure> {
    let pk = read_public_key::<I>(dir).map_err(durable_failure)?;
    println!("{}", hex::encode(pk.to_bytes()));
    Ok(())
}

fn sign<I: Instance>(dir: &Path, epoch: u64, message: &str) -> Result<(), Failure> {
    let message = hexarg::bytes32("message", message)?;
    let mut signer = DurableSigner::<I>::open(dir).map_err(durable_failure)?;
    if signer.activation().contains(&epoch) && epoch >= signer.prepared().end {
        eprintln!("advancing the prepared window to epoch {epoch} (one bottom tree at a time)…");
    }
    signer.prepare_until(epoch).map_err(durable_failure)?;
    let signature = signer.sign_at(epoch, &message).map_err(durable_failure)?;
    println!("{}", hex::encode(signature.to_bytes()));
    Ok(())
}

fn info<I: Instance>(dir: &Path) -> Result<(), Failure> {
    let status = DurableSigner::<I>::inspect(dir).map_err(durable_failure)?;
    let (active, window, record) = (&status.activation, &status.prepared, status.record);
    println!("instance: {}", I::NAME);
    println!("public key: {}", hex::encode(status.public_key.to_bytes()));
    println!("activation: [{}, {})", active.start, active.end);
    println!("prepared window: [{}, {})", window.start, window.end);
    match record.watermark() {
        Some(w) => println!("watermark: {w}"),
        None => println!("watermark: none (no signature yet)"),
    }
    println!("next signable epoch: {}", record.next_epoch);
    println!("remaining epochs: {}", status.remaining());
    Ok(())
}

/// Runs a `key` subcommand.
pub fn run(cmd: KeyCommand) -> Result<(), Failure> {
    match cmd {
        KeyCommand::Generate {
            instance,
            out,
            seed,
            seed_file,
            first_epoch,
            activation_start,
            activation_epochs,
        } => {
            let seed = match (&seed, &seed_file) {
                (Some(hex), _) => SeedSource::Hex(hex),
                (None, Some(path)) => SeedSource::File(path),
                (None, None) => SeedSource::Fresh,
            };
            if !matches!(seed, SeedSource::Fresh) && first_epoch.is_none() {
                return Err(Failure::usage(
                    "a key re-derived from a seed may already have signed (the same seed gives the same key): \
                     pass --first-epoch N with N above every epoch it may ever have signed \
                     (docs/DURABLE-SIGNER.md, Recovery)",
                ));
            }
            let g =
                Generate { out: &out, seed, first_epoch, start: activation_start, epochs: activation_epochs };
            with_instance!(instance, I => generate::<I>(&g)).map_err(Failure::from)
        }
        KeyCommand::Import { instance, secret_key, keystore, out, first_epoch, password } => {
            match (keystore, instance, secret_key, first_epoch) {
                (Some(file), _, _, first) => crate::keystore_cmd::run_import(&file, &out, first, &password),
                (None, Some(instance), Some(secret_key), Some(first_epoch)) => {
                    if password.password_file.is_some() || password.password_env.is_some() {
                        return Err(Failure::usage("a password goes with --keystore, not --secret-key"));
                    }
                    with_instance!(instance, I => import::<I>(&secret_key, &out, first_epoch))
                        .map_err(Failure::from)
                }
                // clap's groups make every other combination a usage error before this point.
                _ => {
                    Err(Failure::usage("pass --keystore FILE, or --instance, --secret-key and --first-epoch"))
                }
            }
        }
        KeyCommand::Export { key, keystore, kdf, password } => {
            crate::keystore_cmd::run_export(&key, &keystore, kdf, &password)
        }
        KeyCommand::History(cmd) => crate::keystore_cmd::run_history(cmd),
        KeyCommand::Public { key } => with_instance!(instance_of(&key)?, I => public::<I>(&key)),
        KeyCommand::Sign { key, epoch, message } => {
            with_instance!(instance_of(&key)?, I => sign::<I>(&key, epoch, &message))
        }
        KeyCommand::Info { key } => with_instance!(instance_of(&key)?, I => info::<I>(&key)),
    }
}
