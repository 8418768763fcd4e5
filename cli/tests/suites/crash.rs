// The process-level crash and race suite, included once per parameter set by `cli/tests/crash.rs` with
// `T` bound to the set and `TRIALS` its default number of crash trials. Every set it runs on has lifetime
// 2^8 (keys active on `[0, 256)`).

use std::collections::HashMap;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use ndvt_xmss::{Instance, PublicKey};

/// Hex characters of a signature of the set.
const SIG_HEX: usize = 2 * T::SIGNATURE_BYTES;
/// The generated test keys are active on `[0, 256)`.
const ACTIVATION_END: u64 = 256;

fn ndvt() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ndvt"))
}

fn run(args: &[&str]) -> Output {
    ndvt().args(args).output().expect("run ndvt")
}

/// xorshift64*: no `rand` dependency; the seed is printed so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn from_env_or_time(name: &str) -> Self {
        let seed = std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
        });
        println!("{name}={seed}");
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn bytes32(&mut self) -> [u8; 32] {
        core::array::from_fn(|_| self.next() as u8)
    }
}

/// One key directory and everything the test saw released from it.
struct Key {
    dir: PathBuf,
    pk: PublicKey<T>,
    pk_hex: String,
    /// epoch -> (message, signature hex) of every released signature.
    released: HashMap<u64, ([u8; 32], String)>,
    /// The persisted watermark after the last check.
    watermark: Option<u64>,
    /// The persisted last (epoch, message), inferred from the request that moved the watermark.
    last: Option<(u64, [u8; 32])>,
    checked_with_cli: usize,
}

impl Key {
    fn generate(root: &Path, index: usize, rng: &mut Rng) -> Key {
        let dir = root.join(format!("key{index}"));
        let seed = hex::encode(rng.bytes32());
        let o = run(&[
            "key",
            "generate",
            "--instance",
            T::NAME,
            "--out",
            dir.to_str().unwrap(),
            "--seed",
            &seed,
            "--first-epoch",
            "0",
        ]);
        assert_eq!(o.status.code(), Some(0), "{o:?}");
        let pk_hex = String::from_utf8(o.stdout).unwrap().trim().to_string();
        let pk = PublicKey::<T>::from_bytes(&hex::decode(&pk_hex).unwrap()).unwrap();
        Key { dir, pk, pk_hex, released: HashMap::new(), watermark: None, last: None, checked_with_cli: 0 }
    }

    fn path(&self) -> &str {
        self.dir.to_str().unwrap()
    }

    fn spawn_sign(&self, epoch: u64, message: &[u8; 32]) -> std::process::Child {
        ndvt()
            .args(["key", "sign", "--key", self.path(), "--epoch", &epoch.to_string()])
            .args(["--message", &hex::encode(message)])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn ndvt key sign")
    }

    /// (watermark, next signable epoch) as persisted, read with `ndvt key info`.
    fn info(&self) -> (Option<u64>, u64) {
        let o = run(&["key", "info", "--key", self.path()]);
        let text = String::from_utf8_lossy(&o.stdout).to_string();
        assert_eq!(o.status.code(), Some(0), "key info failed: {o:?}");
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name))
                .unwrap_or_else(|| panic!("no {name:?} in {text}"))
                .trim()
                .to_string()
        };
        let watermark = field("watermark:");
        let watermark = if watermark.starts_with("none") { None } else { Some(watermark.parse().unwrap()) };
        (watermark, field("next signable epoch:").parse().unwrap())
    }

    /// Records a released signature: it verifies, and its epoch was never released for another message.
    fn released(&mut self, epoch: u64, message: &[u8; 32], sig_hex: &str) {
        let sig = hex::decode(sig_hex).unwrap();
        self.pk.verify_bytes(epoch, message, &sig).unwrap_or_else(|e| panic!("epoch {epoch}: released {e}"));
        if self.checked_with_cli.is_multiple_of(64) {
            let o = run(&[
                "verify",
                "--instance",
                T::NAME,
                "--public-key",
                &self.pk_hex,
                "--epoch",
                &epoch.to_string(),
                "--message",
                &hex::encode(message),
                "--signature",
                sig_hex,
            ]);
            assert_eq!(o.status.code(), Some(0), "ndvt verify: {o:?}");
        }
        self.checked_with_cli += 1;
        match self.released.get(&epoch) {
            Some((m, _)) if m != message => panic!(
                "DOUBLE SIGNING: epoch {epoch} released for {} and for {}",
                hex::encode(m),
                hex::encode(message)
            ),
            Some((_, s2)) => assert_eq!(s2, sig_hex, "epoch {epoch}: identical request, different bytes"),
            None => {
                self.released.insert(epoch, (*message, sig_hex.to_string()));
            }
        }
    }

    /// Reads the persisted record and checks it against everything released so far.
    /// Returns the watermark before and after.
    fn check(&mut self) -> (Option<u64>, Option<u64>) {
        let before = self.watermark;
        let (watermark, next) = self.info();
        assert!(watermark >= before, "the watermark went down: {before:?} -> {watermark:?}");
        assert_eq!(next, watermark.map_or(0, |w| w + 1), "the CLI never reserves: next = watermark + 1");
        if let Some(max) = self.released.keys().max() {
            assert!(
                watermark.is_some_and(|w| w >= *max),
                "epoch {max} released above the watermark {watermark:?}"
            );
        }
        self.watermark = watermark;
        (before, watermark)
    }
}

/// The signature line on stdout, if a whole one was printed.
fn signature_in(stdout: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(stdout);
    let line = text.lines().next()?.trim();
    (line.len() == SIG_HEX && line.bytes().all(|b| b.is_ascii_hexdigit())).then(|| line.to_string())
}

#[derive(Debug, Default)]
struct Tally {
    trials: usize,
    keys: usize,
    killed: usize,
    killed_before_persist: usize,
    killed_after_persist_before_release: usize,
    killed_after_release: usize,
    killed_partial_output: usize,
    exited_released: usize,
    exited_refused: usize,
    retries_with_new_message: usize,
    new_message_after_crash_released: usize,
    new_message_after_crash_refused: usize,
    identical_repeats: usize,
    window_advances: usize,
}

/// SIGKILL `ndvt key sign` at random moments, mostly retrying the same epoch with a different message
/// afterwards (the adversarial case), sometimes repeating a request, going back, or moving forward.
#[test]
fn sigkill_at_random_moments_never_double_signs() {
    let trials: usize = std::env::var("NDVT_CRASH_TRIALS").ok().and_then(|s| s.parse().ok()).unwrap_or(TRIALS);
    let mut rng = Rng::from_env_or_time("NDVT_CRASH_SEED");
    let tmp = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let mut tally = Tally { keys: 1, ..Tally::default() };
    let mut key = Key::generate(tmp.path(), 0, &mut rng);
    // `frontier` is the epoch most requests are about; `epoch` is this trial's request.
    let (mut frontier, mut message) = (0u64, rng.bytes32());
    let mut window_end = 32;
    // Running average of an uncontested `key sign`, in microseconds.
    let mut run_us: u64 = 5_000;
    // The last killed request that released nothing: (epoch, message, whether it burned the epoch).
    let mut crashed: Option<(u64, [u8; 32], bool)> = None;

    for trial in 0..trials {
        // Choose the request.
        let mut epoch = frontier;
        match rng.below(100) {
            0..55 => {
                message = rng.bytes32();
                tally.retries_with_new_message += 1;
            }
            55..65 => {
                if let Some((m, _)) = key.released.get(&frontier) {
                    message = *m;
                    tally.identical_repeats += 1;
                }
            }
            65..75 => {
                if let Some(w) = key.watermark {
                    epoch = rng.below(w + 1);
                }
                message = rng.bytes32();
            }
            _ => {
                let far = rng.below(4) == 0;
                frontier += 1 + rng.below(if far { 24 } else { 3 });
                epoch = frontier;
                message = rng.bytes32();
            }
        }
        if epoch >= ACTIVATION_END {
            // Key exhausted: rotate to a fresh one (the old one's invariants were checked every trial).
            key = Key::generate(tmp.path(), tally.keys, &mut rng);
            tally.keys += 1;
            (frontier, window_end) = (rng.below(8), 32);
            epoch = frontier;
        }
        if epoch >= window_end {
            tally.window_advances += 1;
            window_end = (epoch / 16 + 1) * 16;
        }

        // Run it, killing it after a random delay: at once, within 0-15 ms, within the time an uncontested
        // run takes (so that more kills land inside the process), or not at all.
        let spawned = Instant::now();
        let mut child = key.spawn_sign(epoch, &message);
        let kill = match rng.below(20) {
            0..2 => Some(0),
            2..9 => Some(rng.below(15_000)),
            9..17 => Some(rng.below((run_us * 5 / 4).clamp(1, 15_000))),
            _ => None,
        };
        if let Some(delay) = kill {
            std::thread::sleep(Duration::from_micros(delay));
            let _ = child.kill(); // SIGKILL; a no-op if the process already exited
        }
        let out = child.wait_with_output().unwrap();
        if kill.is_none() {
            run_us = (run_us * 7 + spawned.elapsed().as_micros() as u64) / 8;
        }
        let signature = signature_in(&out.stdout);
        let killed = out.status.signal() == Some(9);

        if let Some(sig) = &signature {
            key.released(epoch, &message, sig);
        }
        let (before, after) = key.check();
        let context = || {
            format!(
                "trial {trial}: epoch {epoch}, watermark {before:?} -> {after:?}, {:?}, stderr {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            )
        };
        if after != before {
            assert_eq!(after, Some(epoch), "only this trial's epoch can have been persisted; {}", context());
        }
        if signature.is_some() {
            assert!(before.is_none_or(|w| epoch >= w), "released below the old watermark; {}", context());
            if before == Some(epoch) {
                // Only the persisted (epoch, message) may come out again, even if it was never released.
                assert_eq!(key.last.map(|(_, m)| m), Some(message), "{}", context());
            }
        }
        if after != before {
            key.last = Some((epoch, message));
        }
        // The adversarial case: a different message at the epoch of a crashed request.
        if let Some((e, m, burned)) = crashed
            && e == epoch
            && m != message
        {
            if signature.is_some() {
                assert!(!burned, "released a new message at an epoch burned by a crash; {}", context());
                tally.new_message_after_crash_released += 1;
            } else if !killed {
                tally.new_message_after_crash_refused += 1;
            }
        }
        if killed && signature.is_none() {
            crashed = Some((epoch, message, after != before));
        } else if signature.is_some() {
            crashed = None;
        }
        tally.trials += 1;
        if killed {
            tally.killed += 1;
            match (&signature, after != before) {
                (Some(_), _) => tally.killed_after_release += 1,
                (None, true) => tally.killed_after_persist_before_release += 1,
                (None, false) => tally.killed_before_persist += 1,
            }
            if signature.is_none() && !out.stdout.is_empty() {
                tally.killed_partial_output += 1;
            }
        } else {
            match out.status.code() {
                Some(0) => {
                    assert!(signature.is_some(), "exit 0 without a signature; {}", context());
                    tally.exited_released += 1;
                }
                Some(3) => {
                    assert!(signature.is_none(), "{}", context());
                    assert!(before.is_some_and(|w| epoch <= w), "refused a fresh epoch; {}", context());
                    tally.exited_refused += 1;
                }
                _ => panic!("unexpected exit; {}", context()),
            }
        }
    }
    let released = tally.killed_after_release + tally.exited_released;
    println!(
        "{} crash trials in {:.1?} over {} keys: {} killed ({} before persisting, {} after persisting but \
         before release, {} after release, {} with partial output), {} released in all, {} exited refused; \
         {} retries with a new message ({} released and {} refused right after a crash at that epoch), \
         {} identical repeats, {} requests past the window",
        tally.trials,
        started.elapsed(),
        tally.keys,
        tally.killed,
        tally.killed_before_persist,
        tally.killed_after_persist_before_release,
        tally.killed_after_release,
        tally.killed_partial_output,
        released,
        tally.exited_refused,
        tally.retries_with_new_message,
        tally.new_message_after_crash_released,
        tally.new_message_after_crash_refused,
        tally.identical_repeats,
        tally.window_advances,
    );
    assert_eq!(tally.trials, trials);
    if trials >= 200 {
        // The delays must actually hit all three phases, or the test proves little.
        assert!(tally.killed_before_persist > 0 && released > 0 && tally.exited_refused > 0, "{tally:?}");
    }
}

/// Two processes sign the same epoch with different messages at once: at most one releases; the other is
/// refused (exit 3) or finds the key locked (exit 1). Every few rounds both ask for the same message, and
/// then any signatures released are identical.
#[test]
fn two_processes_on_one_key() {
    let mut rng = Rng::from_env_or_time("NDVT_RACE_SEED");
    let tmp = tempfile::tempdir().unwrap();
    let mut key = Key::generate(tmp.path(), 0, &mut rng);
    let mut outcomes: HashMap<(Option<i32>, Option<i32>), usize> = HashMap::new();
    let mut epoch = 0;
    let rounds = 60;
    for round in 0..rounds {
        let far = round % 10 == 9;
        epoch += 1 + rng.below(if far { 20 } else { 3 });
        if epoch >= ACTIVATION_END {
            break;
        }
        let same = round % 5 == 4;
        let (m1, m2) = (rng.bytes32(), rng.bytes32());
        let m2 = if same { m1 } else { m2 };
        let a = key.spawn_sign(epoch, &m1);
        if round % 2 == 1 {
            // Stagger the second process so that it sometimes finds the key free and the epoch taken.
            std::thread::sleep(Duration::from_micros(rng.below(8_000)));
        }
        let b = key.spawn_sign(epoch, &m2);
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        *outcomes.entry((a.status.code(), b.status.code())).or_default() += 1;
        let mut winners = 0;
        for (out, message) in [(&a, &m1), (&b, &m2)] {
            let stderr = String::from_utf8_lossy(&out.stderr);
            match out.status.code() {
                Some(0) => {
                    let sig =
                        signature_in(&out.stdout).unwrap_or_else(|| panic!("exit 0, no signature: {out:?}"));
                    key.released(epoch, message, &sig);
                    winners += 1;
                }
                Some(3) => assert!(!same && stderr.contains("different message"), "round {round}: {stderr}"),
                Some(1) => assert!(stderr.contains("in use"), "round {round}: {stderr}"),
                other => panic!("round {round}: exit {other:?}: {stderr}"),
            }
        }
        assert!(winners <= 1 || same, "round {round}: both processes released epoch {epoch}");
        let (_, watermark) = key.check();
        if winners > 0 {
            assert_eq!(watermark, Some(epoch));
        }
    }
    let mut outcomes: Vec<_> = outcomes.into_iter().collect();
    outcomes.sort();
    println!("two processes, {rounds} rounds: (exit A, exit B) -> count: {outcomes:?}");
}
