//! Stage 1a: find every file under the inputs.
//!
//! Takes the input paths (files or folders) and gives a [`Walked`]: the regular files found, in
//! sorted order, and a [`Skipped`] entry for everything that is not a regular file we may read
//! (links not followed, broken links, link loops, sockets, folders we may not list).
//!
//! Ordering: files are sorted by their [`SourcePath`] component by component, which is the order
//! of a depth-first walk that visits each folder's entries sorted by name. The walk itself is
//! sequential: listing folders is cheap next to reading files, and a single walker keeps the order
//! obvious.
//!
//! Symbolic links are not followed unless [`WalkOptions::follow_links`] is set; an input named on
//! the command line is always followed.

use crate::error::{Error, Result};
use crate::source::{SkipKind, Skipped, SourceFile, SourcePath, input_name};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// How to walk.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Follow symbolic links below the inputs.
    pub follow_links: bool,
    /// Folders left out of the walk (chaff's own output folders, when they lie below an input).
    pub exclude: Vec<PathBuf>,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walked {
    /// Regular files, sorted by name.
    pub files: Vec<SourceFile>,
    /// Entries that are not regular files we may read, sorted by name.
    pub skipped: Vec<Skipped>,
    /// Folders below the inputs that were left out because chaff writes there.
    pub excluded: Vec<String>,
}

/// Walks every input and lists the files below them; see the module docs.
///
/// An input that does not exist is a fatal error: it is almost always a typo, and a batch run
/// that silently walks nothing is worse than one that stops.
pub fn files(inputs: &[PathBuf], options: &WalkOptions) -> Result<Walked> {
    let mut walked = Walked::default();
    let exclude: Vec<PathBuf> = options
        .exclude
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    for input in inputs {
        std::fs::metadata(input).map_err(|source| Error::Input {
            path: input.clone(),
            source,
        })?;
        walk_one(input, options, &exclude, &mut walked);
    }
    walked
        .files
        .sort_by(|a, b| Path::new(&a.name.text).cmp(Path::new(&b.name.text)));
    walked
        .skipped
        .sort_by(|a, b| Path::new(&a.path.text).cmp(Path::new(&b.path.text)));
    Ok(walked)
}

fn walk_one(input: &Path, options: &WalkOptions, exclude: &[PathBuf], walked: &mut Walked) {
    let base = input_name(input);
    let input_label = site_label(input);
    let name_of = |path: &Path| -> (SourcePath, Option<String>) {
        let below = path.strip_prefix(input).unwrap_or(path);
        let folder = if below.components().count() > 1 {
            below
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
        } else {
            None
        };
        let name = if below.as_os_str().is_empty() {
            base.clone()
        } else {
            base.join(below)
        };
        (SourcePath::new(&name), folder)
    };

    let mut left_out = Vec::new();
    let walker = WalkDir::new(input)
        .follow_links(options.follow_links)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let excluded = e.file_type().is_dir()
                && !exclude.is_empty()
                && std::fs::canonicalize(e.path()).is_ok_and(|c| exclude.contains(&c));
            if excluded {
                left_out.push(name_of(e.path()).0.text);
            }
            !excluded
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map(Path::to_path_buf).unwrap_or_default();
                let (name, _) = name_of(&path);
                let (kind, message) = if let Some(ancestor) = err.loop_ancestor() {
                    (
                        SkipKind::LinkLoop,
                        format!(
                            "symbolic link loops back to {}",
                            name_of(ancestor).0.text.trim_end_matches('/')
                        ),
                    )
                } else if options.follow_links && is_broken_link(&path) {
                    (
                        SkipKind::BrokenLink,
                        "symbolic link points to nothing".to_string(),
                    )
                } else {
                    let cause = err
                        .io_error()
                        .map(|e| e.to_string())
                        .unwrap_or_else(|| err.to_string());
                    (
                        SkipKind::Unreadable,
                        format!("cannot list or read: {cause}"),
                    )
                };
                walked.skipped.push(Skipped::new(name, kind, message));
                continue;
            }
        };
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        let (name, folder) = name_of(entry.path());
        if file_type.is_symlink() {
            let skipped = if is_broken_link(entry.path()) {
                Skipped::new(
                    name,
                    SkipKind::BrokenLink,
                    "symbolic link points to nothing",
                )
            } else {
                Skipped::new(
                    name,
                    SkipKind::Symlink,
                    "symbolic link not followed (use --follow-links)",
                )
            };
            walked.skipped.push(skipped);
            continue;
        }
        if !file_type.is_file() {
            walked.skipped.push(Skipped::new(
                name,
                SkipKind::NotAFile,
                "not a regular file (device, socket or pipe)",
            ));
            continue;
        }
        let len = entry.metadata().map(|m| m.len()).unwrap_or(0);
        walked.files.push(SourceFile {
            path: entry.into_path(),
            name,
            folder,
            input: input_label.clone(),
            len,
        });
    }
    walked.excluded.extend(left_out);
}

/// The site of documents lying directly in an input: the input folder's own name, or for a file
/// named as an input, the name of the folder it is in.
fn site_label(input: &Path) -> String {
    let folder = if std::fs::metadata(input).is_ok_and(|m| m.is_dir()) {
        Some(input)
    } else {
        input.parent()
    };
    let absolute = folder.and_then(|f| std::path::absolute(f).ok());
    absolute
        .as_deref()
        .and_then(|f| {
            f.components()
                .rfind(|c| matches!(c, std::path::Component::Normal(_)))
        })
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_else(|| ".".to_owned())
}

fn is_broken_link(path: &Path) -> bool {
    let is_link = std::fs::symlink_metadata(path)
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false);
    is_link && std::fs::metadata(path).is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_with_folders_as_sites() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("dump");
        std::fs::create_dir_all(root.join("b-site")).unwrap();
        std::fs::create_dir_all(root.join("a-site/deep")).unwrap();
        std::fs::write(root.join("b-site/2.txt"), "x").unwrap();
        std::fs::write(root.join("a-site/deep/1.txt"), "x").unwrap();
        std::fs::write(root.join("top.txt"), "x").unwrap();
        let walked = files(std::slice::from_ref(&root), &WalkOptions::default()).unwrap();
        let names: Vec<_> = walked.files.iter().map(|f| f.name.text.as_str()).collect();
        assert_eq!(
            names,
            [
                "dump/a-site/deep/1.txt",
                "dump/b-site/2.txt",
                "dump/top.txt"
            ]
        );
        let sites: Vec<_> = walked.files.iter().map(|f| f.site_from_path()).collect();
        assert_eq!(sites, ["a-site", "b-site", "dump"]);
        let single = files(&[root.join("b-site/2.txt")], &WalkOptions::default()).unwrap();
        assert_eq!(single.files[0].site_from_path(), "b-site");
    }

    #[test]
    fn a_missing_input_is_fatal() {
        let err = files(&[PathBuf::from("/no/such/input")], &WalkOptions::default()).unwrap_err();
        assert!(err.to_string().contains("/no/such/input"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn links_are_reported_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("in");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("real.txt"), "x").unwrap();
        std::os::unix::fs::symlink(root.join("real.txt"), root.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(root.join("gone.txt"), root.join("broken.txt")).unwrap();
        let walked = files(std::slice::from_ref(&root), &WalkOptions::default()).unwrap();
        assert_eq!(walked.files.len(), 1);
        let kinds: Vec<_> = walked
            .skipped
            .iter()
            .map(|s| (s.path.text.as_str(), s.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("in/broken.txt", SkipKind::BrokenLink),
                ("in/link.txt", SkipKind::Symlink)
            ]
        );
    }
}
