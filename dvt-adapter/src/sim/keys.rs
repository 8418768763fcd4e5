//! Real XMSS keys for every simulated identity, each behind its own durable signer in a temporary directory.
//!
//! Keys are derived from the scenario seed, so a run is reproducible. An equivocating member additionally
//! holds a second durable signer over the *same* keys in another directory — a restored backup run beside
//! the original, the one setup a durable signer cannot see — which is how it manages to sign twice.

use std::path::Path;

use ndvt_aggregation::XmssMember;
use ndvt_xmss::{DurableError, DurableSigner, KeyError, SecretKey, TestInstance};
use sha2::{Digest, Sha256};

/// The simulator's XMSS instance (lifetime 2^8: epoch = slot, so at most 256 slots).
pub type Instance = TestInstance;

/// Why keys could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeySetupError {
    /// Key generation failed.
    #[error("key generation failed")]
    Key(#[from] KeyError),
    /// The durable signer could not be created or prepared.
    #[error("the durable signer could not be set up")]
    Durable(#[from] DurableError),
    /// A listed public key does not decode.
    #[error("a public key does not decode")]
    PublicKey,
    /// The temporary directory could not be created.
    #[error("the temporary key directory could not be created")]
    TempDir(#[source] std::io::Error),
}

/// One identity's signers.
pub type NodeSigners = crate::node::Signers<XmssMember<Instance>>;

fn key_seed(scenario_seed: u64, node: usize, role: u8) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"ndvt/sim/key/v1");
    h.update(scenario_seed.to_le_bytes());
    h.update((node as u64).to_le_bytes());
    h.update([role]);
    h.finalize().into()
}

fn signer(
    dir: &Path,
    seed: &[u8; 32],
    member: u8,
    slots: u64,
) -> Result<XmssMember<Instance>, KeySetupError> {
    let (sk, _) = SecretKey::<Instance>::from_seed(seed, 0, slots + 1)?;
    let mut signer = DurableSigner::create(dir, sk, 1)?;
    // One durable write covers the whole run: the epochs are burned up front, which is safe.
    signer.reserve(slots)?;
    Ok(XmssMember::new(member, signer))
}

/// Where identity `node`'s attestation and proposal key directories live under `root`.
pub fn key_dirs(root: &Path, node: usize) -> (std::path::PathBuf, std::path::PathBuf) {
    (root.join(format!("node{node}-attestation")), root.join(format!("node{node}-proposal")))
}

/// Creates identity `node`'s two key directories under `root` (the simulator's keys for the same seed), for
/// a networked node that opens them with [`open_node_signers`]. Unlike the simulator's, these signers
/// reserve nothing: every signature is persisted before release, so a process killed at any moment
/// restarts refusing exactly the epochs it signed.
pub fn create_node_keys(
    root: &Path,
    scenario_seed: u64,
    node: usize,
    slots: u64,
) -> Result<(), KeySetupError> {
    let (a, p) = key_dirs(root, node);
    for (dir, role) in [(a, 1), (p, 2)] {
        let (sk, _) = SecretKey::<Instance>::from_seed(&key_seed(scenario_seed, node, role), 0, slots + 1)?;
        DurableSigner::create(&dir, sk, 1)?;
    }
    Ok(())
}

/// Where an equivocating identity's second signers live under `root` (see [`create_rogue_node_keys`]).
pub fn rogue_key_dirs(root: &Path, node: usize) -> (std::path::PathBuf, std::path::PathBuf) {
    (root.join(format!("node{node}-attestation-rogue")), root.join(format!("node{node}-proposal-rogue")))
}

/// **A test-only fault injector.** Creates a second durable record over identity `node`'s *same* keys, in
/// [`rogue_key_dirs`]: the restored-backup-beside-the-original setup that the durable-signer rules forbid
/// (docs/DURABLE-SIGNER.md) and that no signer can see from inside, because each record is sound on its own.
/// It is what lets a devnet's `equivocating` member sign conflicting data, as the simulator's does; nothing
/// but a scenario's Byzantine fault may ask for it.
pub fn create_rogue_node_keys(
    root: &Path,
    scenario_seed: u64,
    node: usize,
    slots: u64,
) -> Result<(), KeySetupError> {
    let (a, p) = rogue_key_dirs(root, node);
    for (dir, role) in [(a, 1), (p, 2)] {
        let (sk, _) = SecretKey::<Instance>::from_seed(&key_seed(scenario_seed, node, role), 0, slots + 1)?;
        DurableSigner::create(&dir, sk, 1)?;
    }
    Ok(())
}

/// Opens the second signers [`create_rogue_node_keys`] made (attestation, proposal).
pub fn open_rogue_signers(
    attestation: &Path,
    proposal: &Path,
    member: u8,
) -> Result<(XmssMember<Instance>, XmssMember<Instance>), DurableError> {
    Ok((
        XmssMember::new(member, DurableSigner::open(attestation)?),
        XmssMember::new(member, DurableSigner::open(proposal)?),
    ))
}

/// Opens the signers [`create_node_keys`] made (again after a restart: the durable record is read back).
pub fn open_node_signers(
    attestation: &Path,
    proposal: &Path,
    member: u8,
) -> Result<NodeSigners, DurableError> {
    Ok(NodeSigners {
        attestation: XmssMember::new(member, DurableSigner::open(attestation)?),
        proposal: XmssMember::new(member, DurableSigner::open(proposal)?),
        rogue: None,
    })
}

/// Creates node `node`'s signers under `root`.
pub fn node_signers(
    root: &Path,
    scenario_seed: u64,
    node: usize,
    member: u8,
    slots: u64,
    rogue: bool,
) -> Result<NodeSigners, KeySetupError> {
    let (a, p) = (key_seed(scenario_seed, node, 1), key_seed(scenario_seed, node, 2));
    let dir = |name: &str| root.join(format!("node{node}-{name}"));
    let attestation = signer(&dir("attestation"), &a, member, slots)?;
    let proposal = signer(&dir("proposal"), &p, member, slots)?;
    let rogue = if rogue {
        Some((
            signer(&dir("attestation-copy"), &a, member, slots)?,
            signer(&dir("proposal-copy"), &p, member, slots)?,
        ))
    } else {
        None
    };
    Ok(NodeSigners { attestation, proposal, rogue })
}

/// Advances every prepared window to cover `slot` (off the signing path, as a client would).
pub fn prepare(signers: &mut NodeSigners, slot: u64) -> Result<(), DurableError> {
    signers.attestation.signer_mut().prepare_until(slot)?;
    signers.proposal.signer_mut().prepare_until(slot)?;
    if let Some((a, p)) = signers.rogue.as_mut() {
        a.signer_mut().prepare_until(slot)?;
        p.signer_mut().prepare_until(slot)?;
    }
    Ok(())
}

/// One identity's public keys, as a genesis file lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// A node name: `<group name>_m<member>` or `single_<i>`.
    pub name: String,
    /// Registry entry (group or single validator).
    pub entry: usize,
    /// Member index within the group (0 for a single validator).
    pub member: u8,
    /// Attestation public key (SSZ bytes).
    pub attestation_public_key: Vec<u8>,
    /// Proposal public key (SSZ bytes).
    pub proposal_public_key: Vec<u8>,
}

/// The public keys the simulator derives for `scenario` (same seed, same keys), in node order: each
/// group's members, then the single validators.
pub fn identities(scenario: &super::Scenario) -> Result<Vec<Identity>, KeySetupError> {
    let mut out = Vec::new();
    let mut node = 0usize;
    let public = |node: usize, role: u8| -> Result<Vec<u8>, KeySetupError> {
        let (_, pk) =
            SecretKey::<Instance>::from_seed(&key_seed(scenario.seed, node, role), 0, scenario.slots + 1)?;
        Ok(pk.to_bytes())
    };
    for (gi, g) in scenario.groups.iter().enumerate() {
        for member in 0..g.n {
            out.push(Identity {
                name: format!("group{gi}_m{member}"),
                entry: gi,
                member,
                attestation_public_key: public(node, 1)?,
                proposal_public_key: public(node, 2)?,
            });
            node += 1;
        }
    }
    for si in 0..scenario.singles as usize {
        out.push(Identity {
            name: format!("single_{si}"),
            entry: scenario.groups.len() + si,
            member: 0,
            attestation_public_key: public(node, 1)?,
            proposal_public_key: public(node, 2)?,
        });
        node += 1;
    }
    Ok(out)
}
