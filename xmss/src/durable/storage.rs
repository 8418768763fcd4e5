//! Crash-safe file replacement: write a temporary file, fsync it, rename it over the target, fsync the
//! directory. After a crash the target holds either the old or the new content, never a mix.
//!
//! Each step goes through [`Storage`] so that tests can make any one of them fail.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// The step of an atomic replacement that failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersistStep {
    /// Creating or writing the temporary file.
    Write,
    /// fsync of the temporary file.
    SyncFile,
    /// Renaming the temporary file over the target.
    Rename,
    /// fsync of the directory, which makes the rename durable.
    SyncDir,
}

impl core::fmt::Display for PersistStep {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            PersistStep::Write => "write",
            PersistStep::SyncFile => "fsync of the file",
            PersistStep::Rename => "rename",
            PersistStep::SyncDir => "fsync of the directory",
        })
    }
}

/// The file-system operations an atomic replacement needs. [`OsStorage`] is the real one.
pub trait Storage: Send {
    /// Creates `path` (mode 0600) and writes `bytes`.
    fn write(&mut self, path: &Path, bytes: &[u8]) -> io::Result<File>;
    /// Flushes `file` to stable storage.
    fn sync_file(&mut self, file: &File) -> io::Result<()>;
    /// Atomically renames `from` to `to`.
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()>;
    /// Flushes the directory entry changes of `dir`.
    fn sync_dir(&mut self, dir: &Path) -> io::Result<()>;
}

/// The operating system's file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct OsStorage;

impl Storage for OsStorage {
    fn write(&mut self, path: &Path, bytes: &[u8]) -> io::Result<File> {
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path)?;
        file.write_all(bytes)?;
        Ok(file)
    }

    fn sync_file(&mut self, file: &File) -> io::Result<()> {
        file.sync_all()
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    fn sync_dir(&mut self, dir: &Path) -> io::Result<()> {
        File::open(dir)?.sync_all()
    }
}

/// Replaces `dir/name` with `bytes` atomically and durably.
pub(crate) fn replace(
    storage: &mut dyn Storage,
    dir: &Path,
    name: &str,
    bytes: &[u8],
) -> Result<(), (PersistStep, io::Error)> {
    let tmp = dir.join(format!(".{name}.tmp"));
    let target = dir.join(name);
    let file = storage.write(&tmp, bytes).map_err(|e| (PersistStep::Write, e))?;
    storage.sync_file(&file).map_err(|e| (PersistStep::SyncFile, e))?;
    drop(file);
    storage.rename(&tmp, &target).map_err(|e| (PersistStep::Rename, e))?;
    storage.sync_dir(dir).map_err(|e| (PersistStep::SyncDir, e))
}
