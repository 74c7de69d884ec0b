//! The fuzz targets' bodies and the invariants they check, one function per target.
//!
//! Each function takes the raw fuzz input, runs one public entry point of chaff on it and panics
//! if chaff panics or breaks a stated invariant. The cargo-fuzz binaries in `fuzz_targets/` call
//! them, and the regression test `tests/it/fuzz_regressions.rs` includes this file as a module
//! and calls them on every saved input in `fixtures/fuzz/`, so a fixed crash stays fixed.
//!
//! This file uses nothing but chaff and std, so that it compiles in both places.

use chaff::{
    CleanOptions, Cleaned, ContainerOptions, Document, Format, Hints, Learning, LineModel,
    SourceFile, SourcePath, Verdict,
};
use std::path::{Path, PathBuf};

/// The file names the `containers` target reads its input as, picked by the first byte.
pub const CONTAINER_NAMES: [&str; 8] = [
    "x.warc",
    "x.jsonl",
    "x.gz",
    "x.warc.gz",
    "x.jsonl.gz",
    "x.arc",
    "x.ndjson",
    "x.txt",
];

/// The `max_bytes` the `containers` target uses when the first byte has its high bit set (the
/// default, 64 MiB, otherwise), so that the cap itself is exercised by small inputs.
pub const SMALL_MAX_BYTES: u64 = 4096;

/// `html_extract`: sniff and extract the bytes as a page, clean it, check the invariants. A
/// payload sniffed as text is also forced through the HTML extractor, as a container that says
/// `text/html` would. (Unlike the other targets it runs each step once: HTML is the slow path,
/// and determinism is tested on whole runs by `tests/it/determinism.rs`.)
pub fn html_extract(data: &[u8]) {
    let Ok(doc) = chaff::extract(data, &Hints::default()) else {
        return;
    };
    check(&doc, &clean_once(&doc));
    if doc.format == Format::Text {
        let forced = Hints {
            html: Some(true),
            ..Hints::default()
        };
        let doc = chaff::extract(data, &forced).expect("it was a document a moment ago");
        assert_eq!(doc.format, Format::Html, "html: Some(true) must give HTML");
        check(&doc, &clean_once(&doc));
    }
}

/// `line_cleaner`: the bytes as (lossy) UTF-8 text, read as a `.txt` file, cleaned, checked.
pub fn line_cleaner(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let hints = Hints {
        extension: Some("txt"),
        ..Hints::default()
    };
    if let Some(doc) = document_twice(text.as_bytes(), &hints) {
        clean_and_check(&doc, &LineModel::default());
    }
}

/// `containers`: the first byte picks the file name ([`CONTAINER_NAMES`]) and the size cap
/// ([`SMALL_MAX_BYTES`] if its high bit is set), the rest is the file. Every part must respect
/// the cap and carry a distinct name; each part then goes through sniffing, extraction and
/// cleaning as the pipeline does it, with the container's hints.
pub fn containers(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let name = CONTAINER_NAMES[usize::from(selector) % CONTAINER_NAMES.len()];
    let mut opts = ContainerOptions::default();
    if selector & 0x80 != 0 {
        opts.max_bytes = SMALL_MAX_BYTES;
    }
    let path = PathBuf::from(name);
    let file = SourceFile {
        name: SourcePath::new(&path),
        path,
        folder: None,
        input: "fuzz".to_owned(),
        len: bytes.len() as u64,
    };
    let first = chaff::unpack(&file, bytes.to_vec(), &opts);
    let again = chaff::unpack(&file, bytes.to_vec(), &opts);
    assert_eq!(first, again, "unpack is not deterministic");
    // Every part and skip has a name of its own.
    let mut all = std::collections::BTreeSet::new();
    for item in &first {
        let name = match item {
            Ok(part) => &part.name.text,
            Err(skipped) => &skipped.path.text,
        };
        assert!(all.insert(name.clone()), "two items are named {name}");
    }
    // Where a WARC record is stored lies inside the file, and starts a record (plain) or a
    // gzip member.
    for part in first.iter().flatten() {
        let Some(stored) = &part.container else {
            continue;
        };
        if stored.kind != "warc" {
            continue;
        }
        let start = usize::try_from(stored.offset).expect("offset fits");
        // Without a length, the record lies in a gzip member not read whole yet.
        let length = stored.length.unwrap_or(0);
        let end = start + usize::try_from(length).expect("length fits");
        assert!(end <= bytes.len(), "{} ends past the file", part.name.text);
        let magic: &[u8] = if bytes.starts_with(b"\x1f\x8b") {
            b"\x1f\x8b"
        } else {
            b"WARC/"
        };
        assert!(
            bytes[start..end].starts_with(magic) || stored.inner_offset.is_some(),
            "{} is not stored at its offset",
            part.name.text
        );
    }
    let mut names = std::collections::BTreeSet::new();
    for (n, item) in first.into_iter().enumerate() {
        let Ok(part) = item else {
            continue;
        };
        assert!(
            part.bytes.len() as u64 <= opts.max_bytes,
            "part {} has {} bytes, more than max_bytes {}",
            part.name.text,
            part.bytes.len(),
            opts.max_bytes
        );
        assert!(
            names.insert(part.name.text.clone()),
            "two parts are named {}",
            part.name.text
        );
        // Sniffed and extracted as a run reads it.
        if let Ok(row) = chaff::read_part(&file, n, part) {
            clean_and_check(&row.doc, &LineModel::default());
        }
    }
}

/// `model_json`: reading any bytes as a model must not panic; a model that reads must write
/// JSON that reads back to the same model, and must be usable by the cleaner.
pub fn model_json(data: &[u8]) {
    let path = Path::new("m.json");
    let model = match LineModel::from_json(data, path, 0) {
        Ok(model) => model,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let json = model.to_json();
    let back = LineModel::from_json(&json, path, 0).unwrap_or_else(|e| {
        panic!(
            "a model that was read writes JSON that does not read back: {e}\n{}",
            String::from_utf8_lossy(&json)
        )
    });
    assert_eq!(
        back.to_json(),
        json,
        "writing a model read from its own JSON changes it"
    );
    let doc = probe_document();
    let sites = model.site_count().min(4) as u32;
    for site in std::iter::once(None).chain((0..sites).map(Some)) {
        let learning = Learning {
            model: &model,
            site,
        };
        let cleaned = chaff::clean(doc, learning, &CleanOptions::default());
        check(doc, &cleaned);
    }
}

/// A fixture article, extracted once: the document the `model_json` target cleans with the model
/// it read (the seed models, learned from `fixtures/crawl`, count some of its lines).
fn probe_document() -> &'static Document {
    static DOC: std::sync::OnceLock<Document> = std::sync::OnceLock::new();
    DOC.get_or_init(|| {
        let text: &[u8] =
            include_bytes!("../../../fixtures/crawl/sites/harborview-gazette/water-main-break.txt");
        let hints = Hints {
            extension: Some("txt"),
            ..Hints::default()
        };
        chaff::extract(text, &hints).expect("the fixture article is a document")
    })
}

/// Extracts a document twice and checks that both runs agree; `None` if it is not a document.
fn document_twice(bytes: &[u8], hints: &Hints<'_>) -> Option<Document> {
    let doc = chaff::extract(bytes, hints).ok()?;
    let again = chaff::extract(bytes, hints).expect("the second extraction failed");
    assert!(doc == again, "extracting the same bytes twice differs");
    Some(doc)
}

/// Cleans a document with the empty model and default options.
fn clean_once(doc: &Document) -> Cleaned {
    let learning = Learning {
        model: &LineModel::default(),
        site: None,
    };
    chaff::clean(doc, learning, &CleanOptions::default())
}

/// Cleans a document twice with `model`, checks that both runs agree and the invariants hold.
fn clean_and_check(doc: &Document, model: &LineModel) {
    let learning = Learning { model, site: None };
    let cleaned = chaff::clean(doc, learning, &CleanOptions::default());
    let again = chaff::clean(doc, learning, &CleanOptions::default());
    assert_eq!(cleaned, again, "cleaning the same document twice differs");
    check(doc, &cleaned);
}

/// The cleaner's invariants: one verdict per line; blank lines (and only they) are `Blank`;
/// title, body and notes point at lines, notes at kept ones; the record text, split at `\n`, is
/// a subsequence of the document's lines (the cleaner never invents, rewrites or reorders).
pub fn check(doc: &Document, cleaned: &Cleaned) {
    let n = doc.lines.len();
    assert_eq!(
        cleaned.verdicts.len(),
        n,
        "{} verdicts for {n} lines",
        cleaned.verdicts.len()
    );
    for (i, (line, verdict)) in doc.lines.iter().zip(&cleaned.verdicts).enumerate() {
        assert_eq!(
            line.is_blank(),
            *verdict == Verdict::Blank,
            "line {i} {:?} has verdict {verdict:?}",
            line.text
        );
        assert!(
            !line.text.contains('\n'),
            "line {i} holds a newline: {:?}",
            line.text
        );
    }
    if let Some(title) = cleaned.title {
        assert!(title < n, "title index {title} out of {n} lines");
    }
    if let Some((first, last)) = cleaned.body {
        assert!(
            first <= last && last < n,
            "body ({first}, {last}) out of {n} lines"
        );
    }
    for note in &cleaned.notes {
        assert!(note.index < n, "note index {} out of {n} lines", note.index);
        assert_eq!(
            cleaned.verdicts[note.index],
            Verdict::Keep,
            "line {} {:?} is uncertain ({:?}: {}) but not kept",
            note.index,
            doc.lines[note.index].text,
            note.rule,
            note.why
        );
    }
    let text = cleaned.text(doc);
    let kept = cleaned.kept();
    let pieces: Vec<&str> = if kept == 0 {
        Vec::new()
    } else {
        text.split('\n').collect()
    };
    assert_eq!(
        pieces.len(),
        kept,
        "{kept} kept lines but text has {} lines",
        pieces.len()
    );
    let mut lines = doc.lines.iter();
    for piece in pieces {
        assert!(
            lines.any(|line| line.text == piece),
            "kept text {piece:?} is not a line of the document, in order"
        );
    }
}
