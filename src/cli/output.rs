//! Writing output files: only to a regular file or a new path, all files of
//! one output or none, and no temporary file left behind.
//!
//! Owns the `-o` checks that run before any long computation
//! ([`check_target`]) and the transactional write of one or more files
//! ([`write_files`]):
//!
//! 1. every file is written to a temporary file (`.afweging-*.tmp`) in its
//!    target folder and flushed to disk; an error here removes the temporary
//!    files and leaves every target untouched;
//! 2. then each target is replaced by a rename. A target that already exists
//!    is first renamed to a backup, so that a failed rename can put every
//!    earlier target back exactly as it was (the previous memo *and* its
//!    charts); the backups are removed once all renames have succeeded.
//!
//! Signals: SIGINT, SIGTERM and SIGHUP remove the temporary files of a write
//! in progress, clear a progress bar's line, and then end the process as the
//! signal would have (so a shell sees "killed by SIGINT"). A signal that
//! arrives during the renames waits until they have finished, so the targets
//! are never left half old, half new. SIGXFSZ (a file-size limit) no longer
//! kills the process: the write fails with an error and step 1 cleans up.
//! SIGKILL runs no code, so a temporary file can survive it (it is
//! recognisable by its `.afweging-` prefix).
//!
//! It does not render anything and knows nothing of memos: it writes bytes.

use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use super::Failure;

/// Prefix of every temporary and backup file.
const TEMP_PREFIX: &str = ".afweging-";

/// Paths to remove if the process is stopped by a signal.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Whether the signal thread is running.
static SIGNALS: OnceLock<()> = OnceLock::new();

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic while holding the lock leaves a valid Vec: keep using it.
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Starts the thread that cleans up on SIGINT, SIGTERM and SIGHUP and turns
/// SIGXFSZ into a write error. Idempotent; a failure to install it is not
/// fatal (the process then keeps the default signal behaviour).
pub(crate) fn install_signal_cleanup() {
    SIGNALS.get_or_init(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGXFSZ};
        let Ok(mut signals) =
            signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP, SIGXFSZ])
        else {
            return;
        };
        let spawned = std::thread::Builder::new()
            .name("afweging-signals".into())
            .spawn(move || {
                for sig in signals.forever() {
                    if sig == SIGXFSZ {
                        // The write that exceeded the limit fails with EFBIG.
                        continue;
                    }
                    let mut paths = pending();
                    for p in paths.drain(..) {
                        let _ = fs::remove_file(p);
                    }
                    let mut err = io::stderr();
                    if err.is_terminal() {
                        // Clear the progress bar's line.
                        let _ = err.write_all(b"\r\x1b[2K");
                        let _ = err.flush();
                    }
                    // Keep the lock: no new temporary file may appear now.
                    let _ = signal_hook::low_level::emulate_default_handler(sig);
                    std::process::exit(128 + sig);
                }
            });
        drop(spawned);
    });
}

/// Checks, before any long run, that `path` may be written: its folder
/// exists, and the path is new or a regular file (not a folder, link,
/// device, pipe or socket).
pub(crate) fn check_target(path: &Path) -> Result<(), Failure> {
    let shown = path.display();
    let name_ok = path.file_name().is_some_and(|n| n != "." && n != "..");
    if !name_ok {
        return Err(Failure::input(format!(
            "cannot write {shown}: it names a folder, not a file; give a file name, for example `-o advies.html`"
        )));
    }
    let dir = folder_of(path);
    match fs::metadata(&dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(Failure::input(format!(
                "cannot write {shown}: {} is a file, not a folder; choose another -o path",
                dir.display()
            )))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(Failure::input(format!(
                "cannot write {shown}: the folder {} does not exist; create it or choose another -o path",
                dir.display()
            )))
        }
        Err(e) => {
            return Err(Failure::input(format!(
                "cannot write {shown}: cannot read the folder {}: {e}",
                dir.display()
            )))
        }
    }
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Failure::input(format!("cannot write {shown}: {e}"))),
        Ok(m) => {
            let kind = m.file_type();
            if kind.is_file() {
                Ok(())
            } else if kind.is_dir() {
                Err(Failure::input(format!(
                    "cannot write {shown}: it is a folder; give a file name inside it, for example `-o {}`",
                    path.join("advies.html").display()
                )))
            } else if kind.is_symlink() {
                Err(Failure::input(format!(
                    "cannot write {shown}: it is a symbolic link, and writing would replace the link by a file; \
                     write to the file it points to, or remove the link"
                )))
            } else {
                Err(Failure::input(format!(
                    "cannot write {shown}: it is not a regular file (a device, pipe or socket); \
                     afweging writes only to regular files or new paths"
                )))
            }
        }
    }
}

/// The folder a file goes to (`.` for a bare file name).
pub(crate) fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes every `(path, bytes)` or none of them (see the module docs).
pub(crate) fn write_files(files: &[(PathBuf, Vec<u8>)]) -> Result<(), Failure> {
    write_files_failing_at(files, None)
}

/// [`write_files`], with an injected failure of the rename of file
/// `fail_at` (for tests of the rollback).
fn write_files_failing_at(
    files: &[(PathBuf, Vec<u8>)],
    fail_at: Option<usize>,
) -> Result<(), Failure> {
    for (path, _) in files {
        check_target(path)?;
    }
    install_signal_cleanup();
    let fail =
        |path: &Path, e: io::Error| Failure::other(format!("cannot write {}: {e}", path.display()));

    // 1. Temporary files.
    let mut temps: Vec<PathBuf> = Vec::with_capacity(files.len());
    let written: Result<(), Failure> = files.iter().try_for_each(|(path, bytes)| {
        let (mut file, tmp) = {
            let mut list = pending();
            let named = temp_in(&folder_of(path)).map_err(|e| fail(path, e))?;
            list.push(named.1.clone());
            named
        };
        temps.push(tmp);
        file.write_all(bytes)
            .and_then(|()| file.flush())
            .and_then(|()| file.sync_all())
            .map_err(|e| fail(path, e))
    });
    if let Err(e) = written {
        forget_and_remove(&temps);
        return Err(e);
    }

    // 2. Renames, under the lock so that a signal waits for them.
    let mut list = pending();
    let mut backups: Vec<PathBuf> = Vec::new();
    let mut done: Vec<(usize, Option<PathBuf>)> = Vec::with_capacity(files.len());
    let mut failure = None;
    for (i, ((path, _), tmp)) in files.iter().zip(&temps).enumerate() {
        let backup = if fs::symlink_metadata(path).is_ok() {
            match temp_in(&folder_of(path)) {
                Ok((_, b)) => {
                    list.push(b.clone());
                    backups.push(b.clone());
                    if let Err(e) = fs::rename(path, &b) {
                        failure = Some(fail(path, e));
                        break;
                    }
                    Some(b)
                }
                Err(e) => {
                    failure = Some(fail(path, e));
                    break;
                }
            }
        } else {
            None
        };
        let renamed = if fail_at == Some(i) {
            Err(io::Error::other("injected failure"))
        } else {
            fs::rename(tmp, path)
        };
        if let Err(e) = renamed {
            if let Some(b) = &backup {
                let _ = fs::rename(b, path);
            }
            failure = Some(fail(path, e));
            break;
        }
        done.push((i, backup));
    }
    if failure.is_some() {
        // Put every earlier target back as it was.
        for (i, backup) in done.iter().rev() {
            let path = &files[*i].0;
            match backup {
                Some(b) => {
                    let _ = fs::rename(b, path);
                }
                None => {
                    let _ = fs::remove_file(path);
                }
            }
        }
    }
    // Temporary files not renamed, and backups no longer needed (only this
    // write's: another thread may be writing too).
    for p in temps.iter().chain(&backups) {
        if fs::symlink_metadata(p).is_ok() {
            let _ = fs::remove_file(p);
        }
    }
    list.retain(|p| !temps.contains(p) && !backups.contains(p));
    drop(list);
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// A new, empty temporary file in `dir`, readable like an ordinary output
/// file (0644 before the umask), kept on disk until removed explicitly.
fn temp_in(dir: &Path) -> io::Result<(fs::File, PathBuf)> {
    let tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(0o644))?;
    }
    tmp.keep().map_err(|e| e.error)
}

/// Removes `paths` and takes them off the signal list.
fn forget_and_remove(paths: &[PathBuf]) {
    let mut list = pending();
    list.retain(|p| !paths.contains(p));
    drop(list);
    for p in paths {
        let _ = fs::remove_file(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_new_files_and_replaces_regular_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let a = tmp.path().join("a.md");
        let b = tmp.path().join("a-chart.svg");
        fs::write(&a, "old").unwrap();
        write_files(&[(a.clone(), b"new".to_vec()), (b.clone(), b"svg".to_vec())]).unwrap();
        assert_eq!(fs::read_to_string(&a).unwrap(), "new");
        assert_eq!(fs::read_to_string(&b).unwrap(), "svg");
        assert_eq!(names(tmp.path()), ["a-chart.svg", "a.md"]);
        assert!(!pending().iter().any(|p| p.starts_with(tmp.path())));
    }

    #[test]
    fn a_failed_rename_puts_every_previous_file_back() {
        let tmp = tempfile::tempdir().unwrap();
        let memo = tmp.path().join("advies.md");
        let chart = tmp.path().join("advies-bijdragen.svg");
        let other = tmp.path().join("advies-tornado.svg");
        fs::write(&chart, "old chart").unwrap();
        fs::write(&memo, "old memo").unwrap();
        let files = [
            (chart.clone(), b"new chart".to_vec()),
            (other.clone(), b"new tornado".to_vec()),
            (memo.clone(), b"new memo".to_vec()),
        ];
        for fail_at in 0..files.len() {
            let e = write_files_failing_at(&files, Some(fail_at)).unwrap_err();
            assert_eq!(e.code, 1);
            assert_eq!(fs::read_to_string(&chart).unwrap(), "old chart");
            assert_eq!(fs::read_to_string(&memo).unwrap(), "old memo");
            assert!(!other.exists(), "a new file is removed again");
            assert_eq!(
                names(tmp.path()),
                ["advies-bijdragen.svg", "advies.md"],
                "no temporary or backup file is left (fail at {fail_at})"
            );
        }
    }

    #[test]
    fn refuses_folders_links_and_special_files() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("f.html");
        fs::write(&file, "x").unwrap();
        let cases: Vec<(PathBuf, &str)> = vec![
            (tmp.path().to_path_buf(), "folder"),
            (tmp.path().join("."), "folder"),
            (tmp.path().join("missing/x.html"), "does not exist"),
            (file.join("x.html"), "is a file, not a folder"),
            (PathBuf::from("/dev/null"), "not a regular file"),
        ];
        for (path, words) in cases {
            let e = check_target(&path).unwrap_err();
            assert_eq!(e.code, 2, "{}", path.display());
            assert!(
                e.message.contains(words),
                "{}: {}",
                path.display(),
                e.message
            );
        }
        #[cfg(unix)]
        {
            let link = tmp.path().join("link.html");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            let e = write_files(&[(link.clone(), b"y".to_vec())]).unwrap_err();
            assert!(e.message.contains("symbolic link"), "{}", e.message);
            assert!(fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink());
            assert_eq!(fs::read_to_string(&file).unwrap(), "x");
            let fifo = tmp.path().join("fifo.html");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            assert!(
                made.is_ok_and(|s| s.success()),
                "mkfifo (coreutils) makes a FIFO"
            );
            let e = write_files(&[(fifo.clone(), b"y".to_vec())]).unwrap_err();
            assert!(e.message.contains("not a regular file"), "{}", e.message);
            assert!(!fs::symlink_metadata(&fifo).unwrap().file_type().is_file());
        }
        check_target(&file).unwrap();
        check_target(&tmp.path().join("new.html")).unwrap();
    }
}
