//! `ndvt devnet up SCENARIO.toml --out DIR` and `ndvt devnet down DIR`: one `ndvt node` process per
//! identity on loopback QUIC ports, real 4 s slots, crashes by SIGKILL (and restarts on the same key
//! directories), then a report built from the nodes' own logs (`devnet_report.rs`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use ndvt_adapter::node::SLOT_MS;
use ndvt_adapter::sim::{create_node_keys, create_rogue_node_keys, identities, key_dirs, rogue_key_dirs};
use ndvt_node::config::{NodeFile, write_identities};
use ndvt_node::log::unix_ms;
use ndvt_node::net::loopback;

use crate::Failure;
use crate::devnet_faults::{byzantine, crashes, pauses};
use crate::devnet_report::{Applied, NodeUsage, build_report};

/// `ndvt devnet` subcommands.
#[derive(Subcommand, Debug)]
pub enum DevnetCommand {
    /// Start a devnet, run it for its slots, stop it and print its report.
    Up(UpArgs),
    /// Stop a devnet left running (reads DIR/pids).
    Down {
        /// The devnet's directory.
        dir: PathBuf,
    },
}

/// Arguments of `ndvt devnet up`.
#[derive(Args, Debug)]
pub struct UpArgs {
    /// Scenario file (TOML; the same files `ndvt simulate` runs).
    pub scenario: PathBuf,
    /// Directory for genesis, keys, node configs, logs and the pid file.
    #[arg(long)]
    pub out: PathBuf,
    /// Override the scenario's slot count.
    #[arg(long)]
    pub slots: Option<u64>,
    /// Print the report as one JSON object (the last line on stdout).
    #[arg(long)]
    pub json: bool,
}

/// How long a node gets to exit after SIGTERM before SIGKILL.
const STOP_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs `ndvt devnet`.
pub fn run(cmd: DevnetCommand) -> Result<(), Failure> {
    match cmd {
        DevnetCommand::Up(args) => up(&args),
        DevnetCommand::Down { dir } => down(&dir),
    }
}

fn io(what: &Path) -> impl Fn(std::io::Error) -> Failure + '_ {
    move |e| Failure::invalid(format!("{}: {e}", what.display()))
}

/// One identity's process, stopped on drop whatever happens (a failed run, a panic).
struct NodeProc {
    identity: usize,
    child: Option<Child>,
    usage: NodeUsage,
    /// SIGSTOPped by a `late` fault and not yet continued.
    paused: bool,
}

impl NodeProc {
    fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Samples CPU seconds and peak RSS from /proc while the process runs (Linux; none elsewhere).
    fn sample(&mut self) {
        if let Some(pid) = self.pid() {
            self.usage.add_sample(pid);
        }
    }

    fn signal(&self, sig: &str) {
        if let Some(pid) = self.pid() {
            let _ = Command::new("kill").args([sig, &pid.to_string()]).stderr(Stdio::null()).status();
        }
    }

    /// SIGKILL now (a crash fault).
    fn crash(&mut self) {
        self.sample();
        self.usage.close_sample();
        self.paused = false;
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGSTOP (a `late` fault: the process does nothing until continued).
    fn pause(&mut self) {
        if self.child.is_some() {
            self.signal("-STOP");
            self.paused = true;
        }
    }

    /// SIGCONT after a pause.
    fn resume(&mut self) {
        if self.paused {
            self.signal("-CONT");
            self.paused = false;
        }
    }

    /// SIGTERM, then SIGKILL after [`STOP_TIMEOUT`].
    fn stop(&mut self) {
        self.sample();
        self.usage.close_sample();
        self.signal("-TERM");
        // A stopped process would only see its SIGTERM once continued.
        self.resume();
        let Some(mut c) = self.child.take() else { return };
        let deadline = Instant::now() + STOP_TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = c.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = c.kill();
        let _ = c.wait();
    }
}

impl Drop for NodeProc {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn spawn(dir: &Path, identity: usize) -> Result<Child, Failure> {
    let exe = std::env::current_exe().map_err(|e| Failure::invalid(format!("current executable: {e}")))?;
    let out = fs::File::create(dir.join(format!("node{identity}.stderr"))).map_err(io(dir))?;
    Command::new(exe)
        .arg("node")
        .arg("--config")
        .arg(dir.join(format!("node{identity}.toml")))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(out)
        .spawn()
        .map_err(|e| Failure::invalid(format!("starting node {identity}: {e}")))
}

fn write_pids(dir: &Path, procs: &[NodeProc]) -> Result<(), Failure> {
    let text: String =
        procs.iter().filter_map(|p| p.pid().map(|pid| format!("{} {pid}\n", p.identity))).collect();
    fs::write(dir.join("pids"), text).map_err(io(dir))
}

fn up(args: &UpArgs) -> Result<(), Failure> {
    let mut scenario = crate::simulate::load(Some(&args.scenario))?;
    if let Some(slots) = args.slots {
        scenario.slots = slots;
    }
    scenario.validate().map_err(|e| Failure::usage(format!("scenario: {e}")))?;
    let dir = &args.out;
    fs::create_dir_all(dir).map_err(io(dir))?;
    if dir.join("pids").exists() {
        return Err(Failure::usage(format!(
            "{} holds a devnet (run `ndvt devnet down` first)",
            dir.display()
        )));
    }
    let ids = identities(&scenario).map_err(|e| Failure::invalid(crate::describe(&e)))?;
    let keys = dir.join("keys");
    if keys.exists() {
        fs::remove_dir_all(&keys).map_err(io(&keys))?;
    }
    fs::create_dir_all(&keys).map_err(io(&keys))?;
    let rogue = byzantine(&scenario);
    for i in 0..ids.len() {
        create_node_keys(&keys, scenario.seed, i, scenario.slots)
            .map_err(|e| Failure::invalid(crate::describe(&e)))?;
        // The fault injector of an equivocating member: a second record over the same keys, on purpose.
        if rogue.contains(&i) {
            create_rogue_node_keys(&keys, scenario.seed, i, scenario.slots)
                .map_err(|e| Failure::invalid(crate::describe(&e)))?;
        }
    }
    let text = scenario.to_toml().map_err(|e| Failure::invalid(e.to_string()))?;
    fs::write(dir.join("scenario.toml"), text).map_err(io(dir))?;
    write_identities(&dir.join("identities.json"), &ids).map_err(|e| Failure::invalid(e.to_string()))?;
    let genesis_ms = unix_ms() + scenario.devnet.start_delay_s * 1000;
    fs::write(dir.join("config.yaml"), crate::genesis::config_yaml(&scenario, &ids, genesis_ms / 1000))
        .map_err(io(dir))?;
    fs::write(dir.join("validators.yaml"), crate::genesis::validators_yaml(&ids)).map_err(io(dir))?;
    let base = scenario.devnet.ports_base;
    let late = pauses(&scenario);
    for i in 0..ids.len() {
        let (a, p) = key_dirs(&keys, i);
        let log = dir.join(format!("node{i}.jsonl"));
        let _ = fs::remove_file(&log);
        let file = NodeFile {
            identity: i,
            scenario: dir.join("scenario.toml"),
            identities: dir.join("identities.json"),
            genesis_ms,
            attestation_key_dir: a,
            proposal_key_dir: p,
            listen_port: base + i as u16,
            listen_host: "127.0.0.1".into(),
            // Every node dials the ones before it: a full mesh on loopback.
            bootstrap: (0..i).map(|j| loopback(base + j as u16).to_string()).collect(),
            log,
            // Nodes stop by themselves when slot N + 1 begins, so that no block is left half-propagated.
            last_slot: Some(scenario.slots),
            // The driver delays a late member's votes by SIGSTOP, so the node must not delay them again.
            late_by_signal: late.iter().any(|p| p.identity == i),
            network_shim: true,
            rogue_key_dirs: rogue.contains(&i).then(|| rogue_key_dirs(&keys, i)),
        };
        let text = toml::to_string(&file).map_err(|e| Failure::invalid(e.to_string()))?;
        fs::write(dir.join(format!("node{i}.toml")), text).map_err(io(dir))?;
    }
    let (never, mut faults) = crashes(&scenario);
    let mut procs: Vec<NodeProc> = Vec::new();
    for i in (0..ids.len()).filter(|i| !never.contains(i)) {
        procs.push(NodeProc {
            identity: i,
            child: Some(spawn(dir, i)?),
            usage: NodeUsage::default(),
            paused: false,
        });
    }
    write_pids(dir, &procs)?;
    let end_ms = (scenario.slots + 1) * SLOT_MS + 400;
    let mut restarts = 0u64;
    let mut sampled = 0u64;
    let mut paused_done = vec![false; late.len()];
    let mut pauses_applied = 0u64;
    loop {
        let now = unix_ms().saturating_sub(genesis_ms);
        if unix_ms() >= genesis_ms && now >= end_ms {
            break;
        }
        for c in faults.iter_mut() {
            if !c.killed && unix_ms() >= genesis_ms + c.kill_ms {
                if let Some(p) = procs.iter_mut().find(|p| p.identity == c.identity) {
                    p.crash();
                }
                c.killed = true;
            }
            if c.killed && c.restart_ms.is_some_and(|r| unix_ms() >= genesis_ms + r) {
                if let Some(p) = procs.iter_mut().find(|p| p.identity == c.identity) {
                    p.child = Some(spawn(dir, c.identity)?);
                    restarts += 1;
                }
                c.restart_ms = None;
                write_pids(dir, &procs)?;
            }
        }
        let since_genesis = if unix_ms() >= genesis_ms { Some(unix_ms() - genesis_ms) } else { None };
        for (pause, done) in late.iter().zip(paused_done.iter_mut()).filter(|(_, d)| !**d) {
            let Some(now) = since_genesis.filter(|t| *t >= pause.stop_ms) else { continue };
            let Some(p) = procs.iter_mut().find(|p| p.identity == pause.identity) else { continue };
            if now < pause.cont_ms {
                if !p.paused {
                    p.pause();
                }
            } else {
                if p.paused {
                    pauses_applied += 1;
                }
                p.resume();
                *done = true;
            }
        }
        if unix_ms() / 1000 > sampled {
            sampled = unix_ms() / 1000;
            procs.iter_mut().for_each(NodeProc::sample);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    for p in procs.iter_mut() {
        p.stop();
    }
    let _ = fs::remove_file(dir.join("pids"));
    let usage: Vec<_> = procs.iter().map(|p| (p.identity, p.usage)).collect();
    let mut report =
        build_report(dir, &scenario, &ids, &usage, genesis_ms, Applied { restarts, pauses: pauses_applied })
            .map_err(|e| Failure::invalid(format!("report: {e}")))?;
    report.netem = crate::devnet_faults::netem_probe();
    if args.json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.to_table());
    }
    Ok(())
}

fn down(dir: &Path) -> Result<(), Failure> {
    let path = dir.join("pids");
    let text = fs::read_to_string(&path).map_err(io(&path))?;
    // Only processes that are still this devnet's nodes: their command line names its node configs.
    let ours = |pid: &u32| {
        let cmdline = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        String::from_utf8_lossy(&cmdline).contains(&dir.display().to_string())
    };
    let pids: Vec<u32> = text
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1).and_then(|p| p.parse::<u32>().ok()))
        .filter(ours)
        .collect();
    for pid in &pids {
        let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
        // A node left SIGSTOPped by a `late` fault handles its SIGTERM only once continued.
        let _ = Command::new("kill").args(["-CONT", &pid.to_string()]).stderr(Stdio::null()).status();
    }
    let deadline = Instant::now() + STOP_TIMEOUT;
    while Instant::now() < deadline && pids.iter().any(ours) {
        std::thread::sleep(Duration::from_millis(50));
    }
    for pid in pids.iter().filter(|p| ours(p)) {
        let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).stderr(Stdio::null()).status();
    }
    let stopped = pids.len();
    fs::remove_file(&path).map_err(io(&path))?;
    println!("stopped {stopped} node processes");
    Ok(())
}
