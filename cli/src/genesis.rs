//! `ndvt genesis SCENARIO.toml --out DIR`: lean-quickstart style genesis files for a scenario's keys.
//!
//! `config.yaml` holds `GENESIS_TIME`, `VALIDATOR_COUNT` (one per virtual identity) and `GENESIS_VALIDATORS`,
//! a list of `attestation_pubkey` / `proposal_pubkey` entries (hex SSZ public keys, no `0x`), in validator
//! index order; native-DVT groups are listed under `NDVT_GROUPS` (m, n and the member indices), which a
//! client without native DVT ignores. `validators.yaml` maps one node name per identity to its index.
//! The keys are the simulator's deterministic test-instance keys: for devnets and tests only.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;
use ndvt_adapter::sim::{Identity, Scenario, identities};

use crate::Failure;
use crate::simulate::load;

/// Arguments of `ndvt genesis`.
#[derive(Args, Debug)]
pub struct GenesisArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Output directory (created if missing; existing config.yaml / validators.yaml are not overwritten).
    #[arg(long)]
    pub out: PathBuf,
    /// Genesis time (unix seconds).
    #[arg(long, default_value_t = 0)]
    pub genesis_time: u64,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `config.yaml` text.
pub fn config_yaml(scenario: &Scenario, ids: &[Identity], genesis_time: u64) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Genesis Settings\nGENESIS_TIME: {genesis_time}\n");
    let _ = writeln!(s, "# Validator Settings\nVALIDATOR_COUNT: {}\n", ids.len());
    let _ = writeln!(s, "# Genesis Validator Pubkeys (index order)\nGENESIS_VALIDATORS:");
    for id in ids {
        let _ = writeln!(s, "  - attestation_pubkey: \"{}\"", hex(&id.attestation_public_key));
        let _ = writeln!(s, "    proposal_pubkey: \"{}\"", hex(&id.proposal_public_key));
    }
    let _ =
        writeln!(s, "\n# Native-DVT groups (m of n virtual identities, by validator index)\nNDVT_GROUPS:");
    for (gi, g) in scenario.groups.iter().enumerate() {
        let members: Vec<String> =
            ids.iter().enumerate().filter(|(_, id)| id.entry == gi).map(|(i, _)| i.to_string()).collect();
        let _ = writeln!(s, "  - m: {}\n    n: {}\n    members: [{}]", g.m, g.n, members.join(", "));
    }
    s
}

/// The `validators.yaml` text: node name → validator indices.
pub fn validators_yaml(ids: &[Identity]) -> String {
    ids.iter().enumerate().map(|(i, id)| format!("{}:\n  - {i}\n", id.name)).collect()
}

/// Runs `ndvt genesis`.
pub fn run(args: &GenesisArgs) -> Result<(), Failure> {
    let scenario = load(Some(&args.scenario))?;
    let ids =
        identities(&scenario).map_err(|e| Failure::invalid(format!("keys: {}", crate::describe(&e))))?;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Failure::invalid(format!("creating {}: {e}", args.out.display())))?;
    for (name, text) in [
        ("config.yaml", config_yaml(&scenario, &ids, args.genesis_time)),
        ("validators.yaml", validators_yaml(&ids)),
    ] {
        let path = args.out.join(name);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| Failure::invalid(format!("creating {}: {e}", path.display())))?;
        std::io::Write::write_all(&mut file, text.as_bytes())
            .map_err(|e| Failure::invalid(format!("writing {}: {e}", path.display())))?;
    }
    println!("wrote config.yaml and validators.yaml for {} identities to {}", ids.len(), args.out.display());
    Ok(())
}
