//! Groups and aggregates: group key creation (with the linter's findings) and verification, member shares,
//! combining group signatures, and verifying concatenation aggregates.

use std::ffi::c_char;

use ndvt_aggregation::by_name::{self, ContributionBytes, Error as GroupError, ParticipantBytes};

use crate::args;
use crate::buffer::NdvtBytes;
use crate::status::{
    Failure, NDVT_ERR_GROUP_KEY, NDVT_ERR_GROUP_LINTER, NDVT_ERR_GROUP_SIGNATURE, NDVT_ERR_INTERNAL,
    NDVT_ERR_INVALID_ARGUMENT, NDVT_INVALID, boundary, describe,
};

/// An input buffer: pointer and length (member keys, shares, registry entries).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct NdvtBuffer {
    /// The first byte (never NULL).
    pub data: *const u8,
    /// Number of bytes.
    pub len: usize,
}

/// The threshold linter's findings for a group it accepted (`ndvt_group_create`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct NdvtGroupReport {
    /// The group id: binds the parameter set, m, n and the ordered member keys.
    pub group_id: [u8; 32],
    /// Members that may be offline while the group still reaches m (`n − m`).
    pub liveness_margin: u8,
    /// Members that may equivocate before two conflicting messages can both reach m (`2m − n − 1`);
    /// negative when two disjoint quorums exist (accepted only with `allow_disjoint_quorums`).
    pub safety_margin: i16,
    /// Number of warnings; their text, one per line, is in the `warnings` buffer.
    pub warning_count: u32,
}

impl From<GroupError> for Failure {
    fn from(e: GroupError) -> Self {
        let code = match &e {
            GroupError::Linter(_) => NDVT_ERR_GROUP_LINTER,
            GroupError::GroupKey(_) => NDVT_ERR_GROUP_KEY,
            GroupError::Share { .. }
            | GroupError::BelowThreshold { .. }
            | GroupError::Signature(_)
            | GroupError::Contribution { .. } => NDVT_ERR_GROUP_SIGNATURE,
            GroupError::MessageLength(_) => NDVT_ERR_INVALID_ARGUMENT,
            _ => NDVT_ERR_INTERNAL,
        };
        Failure::new(code, describe(&e))
    }
}

/// The buffers `list[0..count]`, each checked.
///
/// # Safety
/// `list` is NULL or valid for `count` elements, each valid for its length.
unsafe fn buffers<'a>(list: *const NdvtBuffer, count: usize, what: &str) -> Result<Vec<&'a [u8]>, Failure> {
    if list.is_null() {
        return Err(Failure::null(what));
    }
    if count > isize::MAX as usize / size_of::<NdvtBuffer>() {
        return Err(Failure::invalid(format!("{what}: count {count} is too large")));
    }
    // SAFETY: not NULL, `count` elements, by the contract.
    let list = unsafe { std::slice::from_raw_parts(list, count) };
    list.iter()
        .enumerate()
        // SAFETY: each element is valid for its length, by the contract.
        .map(|(i, b)| unsafe { args::bytes(b.data, b.len, &format!("{what}[{i}]")) })
        .collect()
}

/// Builds the `threshold`-of-`member_count` group of `members` (encoded public keys of `instance`, in roster
/// order) and runs the threshold linter, which refuses 2m ≤ n (`NDVT_ERR_GROUP_LINTER`) unless
/// `allow_disjoint_quorums` is non-zero. On success `*group_key` holds the encoded group key, `*report` the
/// findings and `*warnings` their text (UTF-8, one warning per line); free both buffers.
///
/// # Safety
/// `instance` NULL or NUL-terminated; `members` NULL or valid for `member_count` buffers; the out pointers
/// NULL or writable.
/// Thread safety: any thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_group_create(
    instance: *const c_char,
    threshold: u8,
    members: *const NdvtBuffer,
    member_count: usize,
    allow_disjoint_quorums: u8,
    group_key: *mut NdvtBytes,
    report: *mut NdvtGroupReport,
    warnings: *mut NdvtBytes,
) -> i32 {
    boundary(|| {
        // SAFETY: forwarded from this function's contract.
        let id = unsafe { args::instance(instance) }?;
        // SAFETY: forwarded from this function's contract.
        let members = unsafe { buffers(members, member_count, "members") }?;
        for (ptr, what) in
            [(group_key.cast::<u8>(), "group_key"), (report.cast(), "report"), (warnings.cast(), "warnings")]
        {
            if ptr.is_null() {
                return Err(Failure::null(what));
            }
        }
        let (bytes, findings) = by_name::create_group(id, threshold, &members, allow_disjoint_quorums != 0)?;
        let text = findings.report.warnings.join("\n");
        let summary = NdvtGroupReport {
            group_id: findings.group_id,
            liveness_margin: findings.report.liveness_margin,
            safety_margin: findings.report.safety_margin,
            warning_count: findings.report.warnings.len() as u32,
        };
        // SAFETY: forwarded from this function's contract.
        unsafe { args::write(report, summary, "report") }?;
        // SAFETY: forwarded from this function's contract.
        unsafe { args::write(warnings, NdvtBytes::from_vec(text.into_bytes()), "warnings") }?;
        // SAFETY: forwarded from this function's contract.
        unsafe { args::write(group_key, NdvtBytes::from_vec(bytes), "group_key") }
    })
}

/// A member's share for `ndvt_group_combine`: its public key and the signature it made (through its durable
/// signer) on the 32-byte `message` at `epoch`, into `*share` (free it).
///
/// # Safety
/// Each pointer NULL or valid for its length; `share` NULL or writable.
/// Thread safety: any thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_group_share(
    instance: *const c_char,
    public_key: *const u8,
    public_key_len: usize,
    epoch: u64,
    message: *const u8,
    message_len: usize,
    signature: *const u8,
    signature_len: usize,
    share: *mut NdvtBytes,
) -> i32 {
    boundary(|| {
        // SAFETY: forwarded from this function's contract.
        let id = unsafe { args::instance(instance) }?;
        // SAFETY: forwarded from this function's contract.
        let public_key = unsafe { args::bytes(public_key, public_key_len, "public_key") }?;
        // SAFETY: forwarded from this function's contract.
        let message = unsafe { args::bytes(message, message_len, "message") }?;
        // SAFETY: forwarded from this function's contract.
        let signature = unsafe { args::bytes(signature, signature_len, "signature") }?;
        if share.is_null() {
            return Err(Failure::null("share"));
        }
        let bytes = by_name::share(id, public_key, epoch, message, signature)?;
        // SAFETY: checked not NULL, writable by the contract.
        unsafe { args::write(share, NdvtBytes::from_vec(bytes), "share") }
    })
}

/// Combines shares (from `ndvt_group_share`) into a group signature for the (epoch, message) of the first
/// share, into `*signature` (free it). Invalid, duplicate or foreign shares are skipped; fewer than m valid
/// distinct ones is `NDVT_ERR_GROUP_SIGNATURE`.
///
/// # Safety
/// `instance` NULL or NUL-terminated; `group_key` NULL or valid for its length; `shares` NULL or valid for
/// `share_count` buffers; `signature` NULL or writable.
/// Thread safety: any thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_group_combine(
    instance: *const c_char,
    group_key: *const u8,
    group_key_len: usize,
    shares: *const NdvtBuffer,
    share_count: usize,
    signature: *mut NdvtBytes,
) -> i32 {
    boundary(|| {
        // SAFETY: forwarded from this function's contract.
        let id = unsafe { args::instance(instance) }?;
        // SAFETY: forwarded from this function's contract.
        let group = unsafe { args::bytes(group_key, group_key_len, "group_key") }?;
        // SAFETY: forwarded from this function's contract.
        let shares = unsafe { buffers(shares, share_count, "shares") }?;
        if signature.is_null() {
            return Err(Failure::null("signature"));
        }
        let bytes = by_name::combine(id, group, &shares)?;
        // SAFETY: checked not NULL, writable by the contract.
        unsafe { args::write(signature, NdvtBytes::from_vec(bytes), "signature") }
    })
}

/// Verifies a group signature on `message` at `epoch` under the encoded `group_key`: 0 valid, 1 invalid
/// (including any decoding failure), negative for a usage error (unknown instance, NULL pointer).
///
/// # Safety
/// Each pointer NULL or valid for its length (`instance`: NUL-terminated).
/// Thread safety: any number of threads at once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_group_verify(
    instance: *const c_char,
    group_key: *const u8,
    group_key_len: usize,
    epoch: u64,
    message: *const u8,
    message_len: usize,
    signature: *const u8,
    signature_len: usize,
) -> i32 {
    boundary(|| {
        // SAFETY: forwarded from this function's contract.
        let id = unsafe { args::instance(instance) }?;
        // SAFETY: forwarded from this function's contract.
        let group = unsafe { args::bytes(group_key, group_key_len, "group_key") }?;
        // SAFETY: forwarded from this function's contract.
        let message = unsafe { args::bytes(message, message_len, "message") }?;
        // SAFETY: forwarded from this function's contract.
        let signature = unsafe { args::bytes(signature, signature_len, "signature") }?;
        by_name::verify_group(id, group, epoch, message, signature)
            .map_err(|e| Failure::new(NDVT_INVALID, describe(e.as_ref())))
    })
}

/// A registry entry of a concatenation aggregate: a single key, or an m-of-n group.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct NdvtParticipant {
    /// 0: `bytes` is a single key's encoded public key; 1: an encoded group key.
    pub kind: u8,
    /// The encoded key.
    pub bytes: NdvtBuffer,
}

/// Verifies a concatenation aggregate on `message` at `epoch` against the `registry_count` entries of
/// `registry`, in registry order: 0 valid, 1 invalid (including any decoding failure), negative for a usage
/// error (unknown instance, NULL pointer, an entry kind other than 0 or 1).
///
/// # Safety
/// Each pointer NULL or valid for its length or count (`instance`: NUL-terminated).
/// Thread safety: any number of threads at once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_aggregate_verify(
    instance: *const c_char,
    registry: *const NdvtParticipant,
    registry_count: usize,
    epoch: u64,
    message: *const u8,
    message_len: usize,
    aggregate: *const u8,
    aggregate_len: usize,
) -> i32 {
    boundary(|| {
        // SAFETY: forwarded from this function's contract.
        let id = unsafe { args::instance(instance) }?;
        // SAFETY: forwarded from this function's contract.
        let message = unsafe { args::bytes(message, message_len, "message") }?;
        // SAFETY: forwarded from this function's contract.
        let aggregate = unsafe { args::bytes(aggregate, aggregate_len, "aggregate") }?;
        if registry.is_null() {
            return Err(Failure::null("registry"));
        }
        if registry_count > isize::MAX as usize / size_of::<NdvtParticipant>() {
            return Err(Failure::invalid(format!("registry_count {registry_count} is too large")));
        }
        // SAFETY: not NULL, `registry_count` elements, by the contract.
        let entries = unsafe { std::slice::from_raw_parts(registry, registry_count) };
        let mut parsed = Vec::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            // SAFETY: each entry's buffer is valid for its length, by the contract.
            let bytes = unsafe { args::bytes(entry.bytes.data, entry.bytes.len, &format!("registry[{i}]")) }?;
            parsed.push(match entry.kind {
                0 => ParticipantBytes::Single(bytes),
                1 => ParticipantBytes::Group(bytes),
                k => return Err(Failure::invalid(format!("registry[{i}].kind is {k}, expected 0 or 1"))),
            });
        }
        by_name::verify_aggregate(id, &parsed, epoch, message, aggregate)
            .map_err(|e| Failure::new(NDVT_INVALID, describe(e.as_ref())))
    })
}

/// One participant's contribution to `ndvt_aggregate_concat`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct NdvtContribution {
    /// The participant's index in the registry.
    pub participant: usize,
    /// 0: `signature` is a single key's signature; 1: a group signature (`ndvt_group_combine`).
    pub kind: u8,
    /// The encoded signature.
    pub signature: NdvtBuffer,
}

/// Builds the concatenation aggregate for (`epoch`, `message`) over a registry of `registry_len` entries
/// from `contribution_count` contributions, into `*aggregate` (free it). Contributions are checked for
/// shape only (they decode, fit the registry and the epoch and message); `ndvt_aggregate_verify` checks
/// every signature. `NDVT_ERR_GROUP_SIGNATURE` when a contribution does not fit.
///
/// # Safety
/// Each pointer NULL or valid for its length or count (`instance`: NUL-terminated); `aggregate` NULL or
/// writable.
/// Thread safety: any thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_aggregate_concat(
    instance: *const c_char,
    registry_len: usize,
    epoch: u64,
    message: *const u8,
    message_len: usize,
    contributions: *const NdvtContribution,
    contribution_count: usize,
    aggregate: *mut NdvtBytes,
) -> i32 {
    boundary(|| {
        // SAFETY: forwarded from this function's contract.
        let id = unsafe { args::instance(instance) }?;
        // SAFETY: forwarded from this function's contract.
        let message = unsafe { args::bytes(message, message_len, "message") }?;
        if contributions.is_null() {
            return Err(Failure::null("contributions"));
        }
        if aggregate.is_null() {
            return Err(Failure::null("aggregate"));
        }
        if contribution_count > isize::MAX as usize / size_of::<NdvtContribution>() {
            return Err(Failure::invalid(format!("contribution_count {contribution_count} is too large")));
        }
        // SAFETY: not NULL, `contribution_count` elements, by the contract.
        let entries = unsafe { std::slice::from_raw_parts(contributions, contribution_count) };
        let mut parsed = Vec::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            let what = format!("contributions[{i}].signature");
            // SAFETY: each entry's buffer is valid for its length, by the contract.
            let bytes = unsafe { args::bytes(entry.signature.data, entry.signature.len, &what) }?;
            parsed.push((
                entry.participant,
                match entry.kind {
                    0 => ContributionBytes::Single(bytes),
                    1 => ContributionBytes::Group(bytes),
                    k => {
                        return Err(Failure::invalid(format!(
                            "contributions[{i}].kind is {k}, expected 0 or 1"
                        )));
                    }
                },
            ));
        }
        let bytes = by_name::concat_aggregate(id, registry_len, epoch, message, &parsed)?;
        // SAFETY: checked not NULL, writable by the contract.
        unsafe { args::write(aggregate, NdvtBytes::from_vec(bytes), "aggregate") }
    })
}
