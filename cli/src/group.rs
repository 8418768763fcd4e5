//! `ndvt group …`: m-of-n groups of independent XMSS keys.
//!
//! Group file: one line of hex, `instance tag u8 ‖ m u8 ‖ n u8 ‖ member public keys` (the group-key encoding
//! of ndvt-aggregation). Lean consensus public keys carry no parameter-set marker, so a group created without
//! `--instance` records tag 0, "any XMSS parameter set": the parameter set is then fixed by the shares
//! (`combine`) or found from the group id inside the signature (`verify`). The group id always binds the
//! parameter set, m, n and the ordered keys, so a group signature is valid for one parameter set only.

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use clap::Subcommand;
use ndvt_aggregation::{
    Collector, GroupKey, GroupKeyError, GroupSignature, GroupSigner, KeyedShare, Offer, Scheme,
    ThresholdPolicy, ThresholdReport, Xmss, XmssMember,
};
use ndvt_xmss::{DurableSigner, Instance};

use crate::{Failure, InstanceArg, hexarg, key};

/// Tag of a group file whose parameter set is fixed by its signatures.
const ANY_INSTANCE: u8 = 0;

/// `ndvt group` subcommands.
#[derive(Subcommand, Debug)]
pub enum GroupCommand {
    /// Build an m-of-n group key from member public keys and run the threshold linter (exit 4 on refusal).
    Create {
        /// The threshold m.
        #[arg(long)]
        threshold: u8,
        /// Member public keys, hex, in roster order (repeat the flag or list several).
        #[arg(long = "member", num_args = 1.., required = true)]
        members: Vec<String>,
        /// Accept 2m ≤ n (two disjoint quorums can both sign): a backup policy, slashable without malice.
        #[arg(long)]
        allow_backup: bool,
        /// Pin the parameter set (default: fixed later by the members' signatures).
        #[arg(long, value_parser = crate::instances::InstanceParser)]
        instance: Option<InstanceArg>,
        /// Write the group key (hex) to this file instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Sign as one member, through the member's durable signer: prints the share (hex).
    Sign {
        /// The member's key directory.
        #[arg(long)]
        key: PathBuf,
        /// Epoch (slot).
        #[arg(long)]
        epoch: u64,
        /// Message, hex (32 bytes).
        #[arg(long)]
        message: String,
    },
    /// Combine shares into a group signature (exit 1 when fewer than m valid distinct shares).
    Combine {
        /// Group file written by `group create`.
        #[arg(long)]
        group: PathBuf,
        /// Shares from `group sign`, hex.
        #[arg(long = "share", num_args = 1.., required = true)]
        shares: Vec<String>,
    },
    /// Verify a group signature: prints `valid` (exit 0) or `invalid: <reason>` (exit 1).
    Verify {
        /// Group file written by `group create`.
        #[arg(long)]
        group: PathBuf,
        /// Epoch (slot).
        #[arg(long)]
        epoch: u64,
        /// Message, hex (32 bytes).
        #[arg(long)]
        message: String,
        /// Group signature, hex.
        #[arg(long)]
        signature: String,
    },
}

/// Runs a `group` subcommand.
pub fn run(cmd: GroupCommand) -> Result<(), Failure> {
    match cmd {
        GroupCommand::Create { threshold, members, allow_backup, instance, out } => {
            create(threshold, &members, allow_backup, instance, out.as_deref())
        }
        GroupCommand::Sign { key, epoch, message } => {
            with_instance!(key::instance_of(&key)?, I => sign::<I>(&key, epoch, &message))
        }
        GroupCommand::Combine { group, shares } => combine(&group, &shares),
        GroupCommand::Verify { group, epoch, message, signature } => {
            match verify(&group, epoch, &message, &signature) {
                Ok(name) => {
                    println!("valid");
                    eprintln!("group signature verified ({name})");
                    Ok(())
                }
                Err(e) => {
                    let reason = crate::describe(e.as_ref());
                    println!("invalid: {reason}");
                    Err(Failure::invalid(format!("group signature rejected: {reason}")))
                }
            }
        }
    }
}

fn policy(allow_backup: bool) -> ThresholdPolicy {
    if allow_backup { ThresholdPolicy::AllowDisjointQuorums } else { ThresholdPolicy::Strict }
}

fn tag_of(instance: Option<InstanceArg>) -> u8 {
    match instance {
        None => ANY_INSTANCE,
        Some(i) => with_instance!(i, I => <Xmss<I> as Scheme>::TAG),
    }
}

fn create(
    m: u8,
    members: &[String],
    allow_backup: bool,
    instance: Option<InstanceArg>,
    out: Option<&Path>,
) -> Result<(), Failure> {
    let keys = members
        .iter()
        .enumerate()
        .map(|(i, h)| hexarg::bytes(&format!("member {i}"), h))
        .collect::<anyhow::Result<Vec<_>>>()?;
    // An unpinned group is encoded under the first set whose public keys have the members' length: the
    // linter and the encoding depend only on that length, the group id on the set.
    let len = keys.first().map_or(0, Vec::len);
    let set = instance
        .or_else(|| {
            InstanceArg::ALL.iter().copied().find(|&i| with_instance!(i, I => I::PUBLIC_KEY_BYTES) == len)
        })
        .ok_or_else(|| Failure::invalid(format!("member 0: no parameter set has {len}-byte public keys")))?;
    let (text, lines) = with_instance!(set, I => create_as::<I>(m, &keys, allow_backup, instance))?;
    for line in lines {
        eprintln!("{line}");
    }
    match out {
        Some(path) => {
            std::fs::write(path, format!("{text}\n"))
                .with_context(|| format!("writing {}", path.display()))?;
            eprintln!("wrote the group key to {}", path.display());
        }
        None => println!("{text}"),
    }
    Ok(())
}

/// The group key (hex) of `keys` under set `I`, and the linter's findings as lines for stderr.
fn create_as<I: Instance>(
    m: u8,
    keys: &[Vec<u8>],
    allow_backup: bool,
    pinned: Option<InstanceArg>,
) -> Result<(String, Vec<String>), Failure> {
    let keys = keys
        .iter()
        .enumerate()
        .map(|(i, k)| <Xmss<I> as Scheme>::public_key_from_bytes(k).with_context(|| format!("member {i}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let (group, report) = GroupKey::<Xmss<I>>::new(m, keys, policy(allow_backup)).map_err(|e| match e {
        GroupKeyError::ZeroThreshold
        | GroupKeyError::ThresholdAboveMembers { .. }
        | GroupKeyError::DisjointQuorums { .. } => {
            Failure { code: 4, message: format!("the threshold linter refused the group: {e}") }
        }
        other => Failure::invalid(other.to_string()),
    })?;
    let mut bytes = group.to_bytes();
    bytes[0] = tag_of(pinned);
    Ok((hex::encode(&bytes), findings(&group, &report, pinned)))
}

fn findings<I: Instance>(
    group: &GroupKey<Xmss<I>>,
    report: &ThresholdReport,
    pinned: Option<InstanceArg>,
) -> Vec<String> {
    let (m, n) = (group.threshold(), group.size());
    let mut lines = vec![
        format!("group: {m}-of-{n}"),
        format!("liveness margin: {} member(s) may be offline", report.liveness_margin),
    ];
    if report.safety_margin >= 0 {
        lines.push(format!(
            "safety margin: {} member(s) may equivocate before the group can be slashed",
            report.safety_margin
        ));
    } else {
        lines.push("safety margin: none: two disjoint quorums can sign conflicting messages".into());
    }
    lines.extend(report.warnings.iter().map(|w| format!("warning: {w}")));
    let mut any = group.to_bytes();
    any[0] = ANY_INSTANCE;
    for &i in InstanceArg::ALL {
        if pinned.is_none_or(|p| p == i)
            && let Ok(Some(g)) =
                with_instance!(i, I => group_for::<I>(&any).map(|g| g.map(|g| (I::NAME, g.id()))))
        {
            lines.push(format!("group id ({}): {}", g.0, hex::encode(g.1)));
        }
    }
    lines
}

fn sign<I: Instance>(dir: &Path, epoch: u64, message: &str) -> Result<(), Failure> {
    let message = hexarg::bytes32("message", message)?;
    let signer = DurableSigner::<I>::open(dir).map_err(key::durable_failure)?;
    // A member's node need not know its roster index; the share names its key and `combine` finds it.
    let mut member = XmssMember::new(0, signer);
    member.signer_mut().prepare_until(epoch).map_err(key::durable_failure)?;
    let share = member.sign(epoch, &message).map_err(key::durable_failure)?;
    println!("{}", hex::encode(KeyedShare::from((member.public_key(), share)).to_bytes()));
    Ok(())
}

/// The largest raw group encoding: the 3-byte header and 16 member keys of the largest XMSS public key.
const GROUP_BYTES_MAX: u64 = 3 + 16 * ndvt_xmss::Devnet4::PUBLIC_KEY_BYTES as u64;
/// The largest group file: the hex form of the largest encoding, with room for a `0x` and line breaks.
const GROUP_FILE_CAP: u64 = 4 * GROUP_BYTES_MAX;

/// Reads a group file: hex text (optional `0x`, any whitespace, line breaks included, ignored) or the raw
/// encoding, capped at the largest valid group file.
fn read_group_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    let raw = ndvt_xmss::durable::read_capped(path, GROUP_FILE_CAP, "group file")?;
    Ok(decode_group_text(&raw).transpose()?.unwrap_or(raw))
}

/// The bytes of a hex-text group file, or `None` when the file is not hex text (then it is raw bytes).
fn decode_group_text(raw: &[u8]) -> Option<anyhow::Result<Vec<u8>>> {
    let text = std::str::from_utf8(raw).ok()?;
    let digits: String = text.split_whitespace().collect();
    let body = digits.strip_prefix("0x").unwrap_or(&digits);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(hexarg::bytes("group file", body))
}

/// The group for parameter set `I`, if the file allows it.
fn group_for<I: Instance>(bytes: &[u8]) -> anyhow::Result<Option<GroupKey<Xmss<I>>>> {
    let tag = *bytes.first().ok_or_else(|| anyhow!("the group file is empty"))?;
    if tag != ANY_INSTANCE && tag != <Xmss<I> as Scheme>::TAG {
        return Ok(None);
    }
    let mut bytes = bytes.to_vec();
    bytes[0] = <Xmss<I> as Scheme>::TAG;
    // The file was linted when it was created; a backup policy chosen then stays valid.
    let (group, _) = GroupKey::from_bytes(&bytes, ThresholdPolicy::AllowDisjointQuorums)?;
    Ok(Some(group))
}

fn combine(group: &Path, shares: &[String]) -> Result<(), Failure> {
    let bytes = read_group_file(group)?;
    let first = hexarg::bytes("share 0", &shares[0])?;
    let tag = first.first().copied();
    let set = InstanceArg::ALL
        .iter()
        .copied()
        .find(|&i| Some(with_instance!(i, I => <Xmss<I> as Scheme>::TAG)) == tag);
    match set {
        Some(set) => with_instance!(set, I => combine_as::<I>(&bytes, shares)),
        None => Err(Failure::invalid("share 0 is not an XMSS share of a known parameter set")),
    }
}

fn combine_as<I: Instance>(group_bytes: &[u8], shares: &[String]) -> Result<(), Failure> {
    let group = group_for::<I>(group_bytes)?.ok_or_else(|| {
        Failure::invalid(format!("the group is pinned to another parameter set than {}", I::NAME))
    })?;
    let first = KeyedShare::<Xmss<I>>::from_bytes(&hexarg::bytes("share 0", &shares[0])?)
        .map_err(|e| Failure::invalid(format!("share 0: {e}")))?;
    let mut collector = Collector::new(&group, first.epoch, first.message);
    for (i, text) in shares.iter().enumerate() {
        let share = hexarg::bytes(&format!("share {i}"), text)
            .and_then(|b| Ok(KeyedShare::<Xmss<I>>::from_bytes(&b)?))
            .and_then(|k| Ok(k.resolve(&group)?));
        let offered = share.and_then(|s| Ok(collector.offer(&s)?));
        match offered {
            Ok(Offer::Complete(signature)) => {
                println!("{}", hex::encode(signature.to_bytes()));
                eprintln!(
                    "combined {} of {} members ({}-of-{}) at epoch {}",
                    signature.entries().len(),
                    group.size(),
                    group.threshold(),
                    group.size(),
                    signature.epoch()
                );
                return Ok(());
            }
            Ok(_) => {}
            Err(e) => eprintln!("share {i} ignored: {}", crate::describe(e.as_ref())),
        }
    }
    Err(Failure::invalid(format!(
        "fewer than m valid distinct shares: {} of the {} needed",
        collector.count(),
        group.threshold()
    )))
}

/// Verifies under the parameter set named by the group id in the signature; returns its name.
fn verify(group: &Path, epoch: u64, message: &str, signature: &str) -> anyhow::Result<&'static str> {
    let bytes = read_group_file(group)?;
    let message = hexarg::bytes32("message", message)?;
    let signature = hexarg::bytes("signature", signature)?;
    let claimed: [u8; 32] = signature
        .get(..32)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| anyhow!("malformed group signature: {} bytes", signature.len()))?;
    fn attempt<I: Instance>(
        bytes: &[u8],
        claimed: &[u8; 32],
        epoch: u64,
        message: &[u8; 32],
        signature: &[u8],
    ) -> anyhow::Result<Option<&'static str>> {
        let Some(group) = group_for::<I>(bytes)? else { return Ok(None) };
        if group.id() != *claimed {
            return Ok(None);
        }
        GroupSignature::<Xmss<I>>::from_bytes(signature)?.verify(&group, epoch, message)?;
        Ok(Some(I::NAME))
    }
    // Only the sets whose public keys have the file's key length can read it; if none can, say why.
    let readable: Vec<InstanceArg> = InstanceArg::ALL
        .iter()
        .copied()
        .filter(|&set| with_instance!(set, I => group_for::<I>(&bytes).is_ok()))
        .collect();
    if readable.is_empty() {
        group_for::<ndvt_xmss::Devnet4>(&bytes)?;
    }
    for set in readable {
        if let Some(name) =
            with_instance!(set, I => attempt::<I>(&bytes, &claimed, epoch, &message, &signature))?
        {
            return Ok(name);
        }
    }
    bail!("the signature is for another group")
}
