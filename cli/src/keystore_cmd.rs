//! `ndvt key export`, `ndvt key import --keystore` and `ndvt key history export|import`: EIP-8310 keystores
//! and EIP-3076 signing history (docs/KEYSTORE.md). Passwords come from a file, an environment variable or a
//! terminal prompt, never from the command line.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use ndvt_keystore::interchange::MAX_INTERCHANGE_BYTES;
use ndvt_keystore::{ImportOutcome, Interchange, Kdf, Keystore, MAX_KEYSTORE_BYTES, Password, by_name};
use ndvt_xmss::durable::read_capped;
use zeroize::Zeroizing;

use crate::key::durable_failure;
use crate::{Failure, hexarg};

/// The largest password file read.
const PASSWORD_FILE_CAP: u64 = 4096;

/// Where the keystore password comes from (one of them, or a prompt on a terminal).
#[derive(Args, Debug, Default)]
pub struct PasswordArgs {
    /// File holding the keystore password (a trailing newline is ignored).
    #[arg(long, conflicts_with = "password_env")]
    pub password_file: Option<PathBuf>,
    /// Name of the environment variable holding the keystore password.
    #[arg(long, value_name = "NAME")]
    pub password_env: Option<String>,
}

/// The KDF a new keystore is encrypted with (EIP-8310 allows both).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum KdfArg {
    /// argon2id, 64 MiB, 3 passes, 4 lanes (RFC 9106's second recommendation).
    #[default]
    Argon2id,
    /// scrypt, n = 2^18, r = 8, p = 1 (EIP-2335's parameters, 256 MiB).
    Scrypt,
}

/// `ndvt key history` subcommands.
#[derive(Subcommand, Debug)]
pub enum HistoryCommand {
    /// Write the key's signing history as an EIP-3076 interchange file (its minimal form: the highest used
    /// slot as a block and an attestation target). Takes the key's lock: stop its signer first.
    Export {
        /// Key directory.
        #[arg(long)]
        key: PathBuf,
        /// The new interchange file.
        #[arg(long)]
        out: PathBuf,
        /// The chain's genesis validators root, 32 bytes hex (default: 32 zero bytes, lean devnets have none).
        #[arg(long)]
        genesis_validators_root: Option<String>,
    },
    /// Raise the key's watermark above every slot an EIP-3076 interchange file names for its public key
    /// (never lowers it).
    Import {
        /// Key directory.
        #[arg(long)]
        key: PathBuf,
        /// The interchange file.
        #[arg(long)]
        file: PathBuf,
        /// The chain's genesis validators root the file must carry (default: 32 zero bytes).
        #[arg(long)]
        genesis_validators_root: Option<String>,
    },
}

impl PasswordArgs {
    /// Reads the password; `confirm` asks twice on a terminal (for a new keystore).
    fn read(&self, confirm: bool) -> Result<Password, Failure> {
        let not_utf8 = || Failure::invalid("the password is not UTF-8");
        if let Some(path) = &self.password_file {
            let bytes = Zeroizing::new(
                read_capped(path, PASSWORD_FILE_CAP, "password file").map_err(durable_failure)?,
            );
            return Password::from_utf8(&bytes).ok_or_else(not_utf8);
        }
        if let Some(name) = &self.password_env {
            let value = std::env::var_os(name)
                .ok_or_else(|| Failure::usage(format!("environment variable {name} is not set")))?;
            let bytes = Zeroizing::new(value.into_encoded_bytes());
            return Password::from_utf8(&bytes).ok_or_else(not_utf8);
        }
        if !std::io::stdin().is_terminal() {
            return Err(Failure::usage(
                "no password: pass --password-file FILE or --password-env NAME (no terminal to prompt on)",
            ));
        }
        let prompt = |text: &str| {
            rpassword::prompt_password(text)
                .map(Zeroizing::new)
                .map_err(|e| Failure::invalid(format!("reading the password: {e}")))
        };
        let first = prompt("keystore password: ")?;
        if confirm && *prompt("again: ")? != *first {
            return Err(Failure::usage("the passwords differ"));
        }
        Ok(Password::new(&first))
    }
}

fn keystore_failure(e: by_name::Error) -> Failure {
    match e {
        by_name::Error::Key(ndvt_xmss::by_name::Error::Refused(_)) | by_name::Error::WatermarkBehind(_) => {
            Failure::refused(format!("refusing to import: {}", crate::describe(&e)))
        }
        by_name::Error::FirstEpochRequired(_) => Failure::usage(format!(
            "{}: pass --first-epoch N (docs/KEYSTORE.md, Import)",
            crate::describe(&e)
        )),
        by_name::Error::EmptyPassword => Failure::usage(crate::describe(&e)),
        e => Failure::invalid(crate::describe(&e)),
    }
}

/// Writes a new file (never over an existing one), readable by its owner only.
fn write_new(path: &Path, text: &str) -> Result<(), Failure> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let fail = |e: std::io::Error| Failure::invalid(format!("writing {}: {e}", path.display()));
    let mut file = options.open(path).map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)?;
    file.sync_all().map_err(fail)
}

fn export(dir: &Path, file: &Path, password: &Password, kdf: Kdf) -> Result<(), Failure> {
    let keystore = by_name::export(dir, password, kdf).map_err(keystore_failure)?;
    write_new(file, &keystore.to_json())?;
    let floor = keystore.snapshot().floor();
    eprintln!(
        "exported the {} key of {} to {}: next signable epoch {floor}; the key stays in {}, and an import \
         elsewhere must start above every epoch either copy signs",
        keystore.instance(),
        dir.display(),
        file.display(),
        dir.display()
    );
    Ok(())
}

/// `ndvt key export`.
pub fn run_export(key: &Path, keystore: &Path, kdf: KdfArg, password: &PasswordArgs) -> Result<(), Failure> {
    let password = password.read(true)?;
    let kdf = match kdf {
        KdfArg::Argon2id => Kdf::ARGON2ID_DEFAULT,
        KdfArg::Scrypt => Kdf::SCRYPT_DEFAULT,
    };
    export(key, keystore, &password, kdf)
}

fn import(keystore: &Keystore, password: &Password, out: &Path, first: Option<u64>) -> Result<(), Failure> {
    let outcome = by_name::import(keystore, password, out, first).map_err(keystore_failure)?;
    println!("{}", hex::encode(keystore.public_key()));
    match outcome {
        ImportOutcome::Created { next_epoch } => {
            eprintln!("imported into {}; first signable epoch {next_epoch}", out.display())
        }
        ImportOutcome::AlreadyPresent { next_epoch } => eprintln!(
            "{} already holds this key; its record is kept (next signable epoch {next_epoch})",
            out.display()
        ),
    }
    Ok(())
}

/// `ndvt key import --keystore`.
pub fn run_import(
    file: &Path,
    out: &Path,
    first_epoch: Option<u64>,
    password: &PasswordArgs,
) -> Result<(), Failure> {
    let bytes = read_capped(file, MAX_KEYSTORE_BYTES, "keystore").map_err(durable_failure)?;
    let keystore = by_name::parse(&bytes).map_err(keystore_failure)?;
    let password = password.read(false)?;
    import(&keystore, &password, out, first_epoch)
}

fn genesis_root(arg: Option<&str>) -> Result<[u8; 32], Failure> {
    arg.map_or(Ok([0; 32]), |text| Ok(hexarg::bytes32("genesis validators root", text)?))
}

fn history_export(dir: &Path, out: &Path, root: [u8; 32]) -> Result<(), Failure> {
    let (history, next) = by_name::export_history(dir, root).map_err(keystore_failure)?;
    write_new(out, &history.to_json())?;
    eprintln!("wrote the history of {} to {}: every slot below {next} is used", dir.display(), out.display());
    Ok(())
}

fn history_import(dir: &Path, history: &Interchange) -> Result<(), Failure> {
    let (before, after) = by_name::import_history(dir, history).map_err(keystore_failure)?;
    println!("next signable epoch: {after}");
    if after > before {
        eprintln!("raised the watermark of {}: next signable epoch {before} → {after}", dir.display());
    } else {
        eprintln!("the history names nothing above the record; next signable epoch stays {after}");
    }
    Ok(())
}

/// Runs a `key history` subcommand.
pub fn run_history(cmd: HistoryCommand) -> Result<(), Failure> {
    match cmd {
        HistoryCommand::Export { key, out, genesis_validators_root } => {
            let root = genesis_root(genesis_validators_root.as_deref())?;
            history_export(&key, &out, root)
        }
        HistoryCommand::Import { key, file, genesis_validators_root } => {
            let root = genesis_root(genesis_validators_root.as_deref())?;
            let bytes =
                read_capped(&file, MAX_INTERCHANGE_BYTES, "interchange file").map_err(durable_failure)?;
            let history = by_name::parse_history(&bytes, &root).map_err(keystore_failure)?;
            history_import(&key, &history)
        }
    }
}
