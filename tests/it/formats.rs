//! Input formats (gzip, WARC, JSONL), streaming to stdout, and `chaff explain`, through the binary.

use crate::common::{chaff, jsonl, run, skipped};

#[test]
fn warc_gzip_and_jsonl_are_read_record_by_record() {
    let run = run(&["run", "fixtures/containers"]);
    assert_eq!(run.code(), 1, "some records are skipped: {}", run.stderr());
    let records = run.records();
    let names: Vec<&str> = records
        .iter()
        .map(|r| r["source"]["path"].as_str().unwrap())
        .collect();
    for name in [
        "fixtures/containers/article.html.gz",
        "fixtures/containers/notes.txt.gz",
        "fixtures/containers/crawl.warc.gz#3",
        "fixtures/containers/crawl.warc.gz#4",
        "fixtures/containers/crawl.warc.gz#5",
        "fixtures/containers/plain.warc#1",
        "fixtures/containers/plain.warc#2",
        "fixtures/containers/scrape.jsonl#1",
        "fixtures/containers/scrape.jsonl#3",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    // The WARC record's URL gives the site; its offset and id are provenance.
    let r = run.record("crawl.warc.gz#3");
    assert_eq!(r["site"], "millbrook-tribune.example");
    assert_eq!(r["source"]["container"]["kind"], "warc");
    assert_eq!(r["source"]["container"]["offset"], 629);
    assert_eq!(r["source"]["container"]["length"], 1076);
    assert!(
        r["source"]["container"]["record_id"]
            .as_str()
            .unwrap()
            .starts_with("<urn:uuid:")
    );
    assert_eq!(r["source"]["format"], "html");
    // The HTTP header's charset decodes the payload.
    let r = run.record("plain.warc#2");
    assert_eq!(r["source"]["encoding"], "windows-1252");
    assert_eq!(r["source"]["encoding_from"], "header");
    assert!(r["text"].as_str().unwrap().contains("Café"));
    let r = run.record("scrape.jsonl#3");
    assert_eq!(r["source"]["format"], "text");
    assert_eq!(r["source"]["container"]["offset"], 3);
    // What is not a document is reported, with a reason, and the run goes on.
    let report = run.report();
    let skipped: Vec<(String, String)> = report["skipped_inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_owned(),
                s["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(skipped.contains(&(
        "fixtures/containers/crawl.warc.gz#6".into(),
        "no-payload".into()
    )));
    assert!(skipped.contains(&(
        "fixtures/containers/crawl.warc.gz#7".into(),
        "damaged".into()
    )));
    assert!(skipped.contains(&(
        "fixtures/containers/scrape.jsonl#4".into(),
        "damaged".into()
    )));
    assert!(run.stderr().contains("crawl.warc.gz#7"), "{}", run.stderr());
    assert!(run.stderr().contains("truncated"), "{}", run.stderr());
}

#[test]
fn jsonl_field_names_are_options() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("scrape.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"link":"https://news.example.org/a","body":"<p>The harbour reopened on Monday after a week of repairs to the main pier.</p>"}"#,
            "\n",
            r#"{"url":"https://news.example.org/b","html":"<p>default names are not read now</p>"}"#,
            "\n"
        ),
    )
    .unwrap();
    let run = run(&[
        "run",
        input.to_str().unwrap(),
        "--jsonl-url",
        "link",
        "--jsonl-html",
        "body",
    ]);
    let records = run.records();
    assert_eq!(records.len(), 1, "{}", run.stderr());
    assert_eq!(records[0]["url"], "https://news.example.org/a");
    assert_eq!(records[0]["site"], "news.example.org");
    assert_eq!(run.report()["skipped_by_kind"]["damaged"], 1);
}

#[test]
fn records_stream_to_stdout_with_the_summary_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let to_folder = run(&["run", "seeds"]);
    let output = chaff()
        .args(["run", "seeds", "-o", "-"])
        .current_dir(crate::common::repo())
        .env("TMPDIR", dir.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(output.stdout, to_folder.bytes("clean.jsonl"));
    assert_eq!(jsonl(&output.stdout).len(), 5);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("5 written"), "{stderr}");
    // Nothing is left behind in the scratch folder.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn explain_marks_every_line() {
    let output = chaff()
        .args(["explain", "seeds/004_e568952c49340a18.txt"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "no colour when piped");
    let line = |n: u32| {
        text.lines()
            .find(|l| l[1..].trim_start().starts_with(&format!("{n} ")))
            .unwrap_or_else(|| panic!("line {n} in {text}"))
            .to_owned()
    };
    assert!(line(1).starts_with('-') && line(1).contains("section-label"));
    assert!(line(3).starts_with('+') && line(3).contains("title"));
    assert!(line(9).starts_with('-') && line(9).contains("share-bar"));
    assert!(line(15).starts_with('+'));
    assert!(line(51).contains("related-list"));
    let colour = chaff()
        .args([
            "explain",
            "seeds/004_e568952c49340a18.txt",
            "--color",
            "always",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&colour.stdout).contains("\u{1b}[31m"));
    let missing = chaff()
        .args(["explain", "no/such/file.txt"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no/such/file.txt"));
}

#[test]
fn help_shows_examples_for_each_command() {
    for command in ["run", "learn", "clean", "explain"] {
        let output = chaff().args([command, "--help"]).output().unwrap();
        let help = String::from_utf8(output.stdout).unwrap();
        assert!(
            help.contains("Example"),
            "{command} --help has examples:\n{help}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Containers written by the tests: WARC records, each gzipped as a member of its own (as
// crawlers write them), so the tests can damage them precisely.

/// One WARC record, framed.
fn warc_record(kind: &str, number: usize, headers: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{number:012}>\r\n\
         WARC-Date: 2024-05-{:02}T10:00:00Z\r\n{headers}Content-Length: {}\r\n\r\n",
        1 + number % 28,
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// A `response` record of an HTTP message with these header lines and body.
fn http_response(number: usize, uri: &str, http_head: &str, body: &[u8]) -> Vec<u8> {
    let mut http = format!("HTTP/1.1 {http_head}\r\n\r\n").into_bytes();
    http.extend_from_slice(body);
    warc_record(
        "response",
        number,
        &format!("WARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\n"),
        &http,
    )
}

/// A word of its own for each number (digits alone would not do: the cleaner folds them).
fn word(n: usize) -> String {
    const SYLLABLES: [&str; 10] = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "be", "du"];
    let mut n = n;
    let mut out = String::new();
    loop {
        out.push_str(SYLLABLES[n % 10]);
        n /= 10;
        if n == 0 {
            return out;
        }
    }
}

/// An article page with words of its own, so that pages are not duplicates of each other.
fn article(n: usize) -> String {
    let w = word(n);
    format!(
        "<!doctype html><html><head><title>The {w} story</title></head><body><article>\
         <h1>Story {w} of the day</h1>\
         <p>The council of {w} met to discuss the bridge, the harbour and the ferry timetable \
         for the coming season, and residents of {w} asked many questions about costs.</p>\
         <p>Reporter {w} wrote that the {w} vote would come later this month, after a \
         second hearing and a review of the engineering report on the old pier at {w}.</p>\
         </article></body></html>"
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// `records` as a `.warc.gz`, one gzip member per record; also gives each member's offset.
fn warc_gz(records: &[Vec<u8>]) -> (Vec<u8>, Vec<(u64, u64)>) {
    let mut file = Vec::new();
    let mut members = Vec::new();
    for record in records {
        let member = gzip(record);
        members.push((file.len() as u64, member.len() as u64));
        file.extend(member);
    }
    (file, members)
}

fn pages(count: usize) -> Vec<Vec<u8>> {
    (1..=count)
        .map(|n| {
            http_response(
                n,
                &format!("https://news{}.example/story/{n}", n % 3),
                "200 OK\r\nContent-Type: text/html; charset=utf-8",
                article(n).as_bytes(),
            )
        })
        .collect()
}

#[test]
fn warc_offsets_let_a_standard_gzip_reader_fetch_each_record() {
    use std::io::{Read, Seek, SeekFrom};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl.warc.gz");
    let (file, members) = warc_gz(&pages(12));
    std::fs::write(&path, &file).unwrap();
    let run = run(&["run", path.to_str().unwrap()]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let records = run.records();
    assert_eq!(records.len(), 12);
    let mut handle = std::fs::File::open(&path).unwrap();
    for record in records {
        let c = &record["source"]["container"];
        let (offset, length) = (c["offset"].as_u64().unwrap(), c["length"].as_u64().unwrap());
        let number: usize = record["source"]["path"]
            .as_str()
            .unwrap()
            .rsplit('#')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!((offset, length), members[number - 1]);
        // What `dd skip=offset count=length | gunzip` does.
        handle.seek(SeekFrom::Start(offset)).unwrap();
        let mut member = vec![0; length as usize];
        handle.read_exact(&mut member).unwrap();
        let mut warc = String::new();
        flate2::read::GzDecoder::new(&member[..])
            .read_to_string(&mut warc)
            .unwrap();
        assert!(
            warc.starts_with("WARC/1.0\r\nWARC-Type: response\r\n"),
            "{warc}"
        );
        assert!(warc.contains(&format!(
            "WARC-Record-ID: {}",
            c["record_id"].as_str().unwrap()
        )));
        assert!(warc.contains(&format!(
            "WARC-Target-URI: {}",
            c["target_uri"].as_str().unwrap()
        )));
        assert!(warc.contains(&format!("WARC-Date: {}", c["date"].as_str().unwrap())));
        assert!(warc.contains(&format!("Story {} of the day", word(number))));
        assert_eq!(c.get("inner_offset"), None);
    }
    // The fixture, written by another tool, too.
    let run = crate::common::run(&["run", "fixtures/containers/crawl.warc.gz"]);
    let r = run.record("crawl.warc.gz#4");
    let c = &r["source"]["container"];
    let bytes = std::fs::read("fixtures/containers/crawl.warc.gz").unwrap();
    let (offset, length) = (
        c["offset"].as_u64().unwrap() as usize,
        c["length"].as_u64().unwrap() as usize,
    );
    let mut warc = Vec::new();
    flate2::read::GzDecoder::new(&bytes[offset..offset + length])
        .read_to_end(&mut warc)
        .unwrap();
    let id = b"WARC-Record-ID: <urn:uuid:0b6a3c2e-0000-4000-8000-000000000004>";
    assert!(warc.windows(id.len()).any(|w| w == id));
}

#[test]
fn max_bytes_applies_to_each_record_not_to_the_warc() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.warc.gz");
    let (file, _) = warc_gz(&pages(40));
    std::fs::write(&path, &file).unwrap();
    assert!(file.len() > 8_000, "{}", file.len());
    let run = run(&["run", path.to_str().unwrap(), "--max-bytes", "4000"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(run.records().len(), 40);
    let run = crate::common::run(&["run", path.to_str().unwrap(), "--max-bytes", "300"]);
    let report = run.report();
    assert_eq!(
        report["skipped_by_kind"]["too-large"],
        40,
        "{}",
        run.stderr()
    );
}

#[test]
fn a_damaged_gzip_member_hides_no_later_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.warc.gz");
    let records = pages(30);
    let (file, members) = warc_gz(&records);
    // Member 10 is cut in half, member 20 has a flipped byte in its deflate data.
    let (cut_at, cut_len) = members[9];
    let (flip_at, flip_len) = members[19];
    let mut damaged = file[..(cut_at + cut_len / 2) as usize].to_vec();
    damaged.extend_from_slice(&file[(cut_at + cut_len) as usize..]);
    let shift = cut_len - cut_len / 2;
    let flip = (flip_at - shift + flip_len / 2) as usize;
    damaged[flip] ^= 0x55;
    std::fs::write(&path, &damaged).unwrap();
    let run = run(&["run", path.to_str().unwrap()]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    let report = run.report();
    let written: Vec<String> = run
        .records()
        .iter()
        .map(|r| {
            r["source"]["path"]
                .as_str()
                .unwrap()
                .rsplit('#')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    let skips = skipped(&report);
    // Every record is accounted for: 28 written, 2 damaged, each named.
    assert_eq!(written.len(), 28, "{written:?} {skips:?}");
    assert_eq!(report["seen"], 30);
    for n in (1..=30).filter(|n| *n != 10 && *n != 20) {
        assert!(written.contains(&n.to_string()), "record {n}: {skips:?}");
    }
    assert_eq!(skips.len(), 2, "{skips:?}");
    assert!(skips[0].0.ends_with("cut.warc.gz#10"), "{skips:?}");
    assert_eq!(skips[0].1, "damaged");
    assert!(
        skips[0]
            .2
            .contains(&format!("the gzip data is damaged at byte {cut_at}"))
            && skips[0]
                .2
                .contains("reading went on at the next gzip member"),
        "{skips:?}"
    );
    assert!(skips[1].0.ends_with("cut.warc.gz#20"), "{skips:?}");
    // Offsets after the damage are still exact.
    let r = run.record("#25");
    assert_eq!(
        r["source"]["container"]["offset"].as_u64().unwrap(),
        members[24].0 - shift
    );
}

#[test]
fn server_framing_mistakes_are_forgiven_and_noted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mistakes.warc");
    let ok_html = "200 OK\r\nContent-Type: text/html";
    let page = |n| article(n).into_bytes();
    let mut chunked_no_end = format!("{:x}\r\n", page(3).len()).into_bytes();
    chunked_no_end.extend(page(3));
    chunked_no_end.extend(b"\r\n");
    // brotli of "<html><body><p>News</p></body></html>" (Python's brotli module)
    let br: &[u8] = &[
        27, 36, 0, 224, 141, 148, 169, 235, 83, 242, 160, 193, 181, 15, 91, 27, 221, 228, 132, 22,
        105, 42, 213, 138, 190, 108, 97, 5, 102, 60,
    ];
    let mut warc = Vec::new();
    warc.extend(http_response(
        1,
        "https://a.example/1",
        &format!("{ok_html}\r\nTransfer-Encoding: chunked"),
        &page(1),
    ));
    warc.extend(http_response(
        2,
        "https://a.example/2",
        &format!("{ok_html}\r\nContent-Encoding: gzip"),
        &page(2),
    ));
    warc.extend(http_response(
        3,
        "https://a.example/3",
        &format!("{ok_html}\r\nTransfer-Encoding: chunked"),
        &chunked_no_end,
    ));
    warc.extend(http_response(
        4,
        "https://a.example/4",
        &format!("{ok_html}\r\nContent-Encoding: br"),
        br,
    ));
    warc.extend(http_response(
        5,
        "https://a.example/5",
        "206 Partial Content\r\nContent-Type: text/html",
        &page(5),
    ));
    std::fs::write(&path, &warc).unwrap();
    let run = run(&["run", path.to_str().unwrap()]);
    let notes = |n: usize| run.record(&format!("#{n}"))["source"]["notes"].to_string();
    assert!(
        run.record("#1")["text"]
            .as_str()
            .unwrap()
            .contains(&format!("Story {} of", word(1)))
    );
    assert!(
        notes(1).contains("declared Transfer-Encoding: chunked but is not chunked"),
        "{}",
        notes(1)
    );
    assert!(
        run.record("#2")["text"]
            .as_str()
            .unwrap()
            .contains(&format!("Story {} of", word(2)))
    );
    assert!(
        notes(2).contains("declared Content-Encoding gzip but is not"),
        "{}",
        notes(2)
    );
    assert!(
        run.record("#3")["text"]
            .as_str()
            .unwrap()
            .contains(&format!("Story {} of", word(3)))
    );
    assert!(
        notes(3).contains("ends without its last chunk"),
        "{}",
        notes(3)
    );
    let skips = skipped(&run.report());
    assert_eq!(skips.len(), 2, "{skips:?}");
    assert!(skips[0].0.ends_with("mistakes.warc#5"));
    assert_eq!(skips[0].1, "no-payload");
    assert!(skips[0].2.contains("HTTP status 206"), "{skips:?}");
    // The brotli body, decoded, is one line of furniture ("News"): the page cleans to nothing.
    assert!(skips[1].0.ends_with("mistakes.warc#4"));
    assert_eq!(skips[1].1, "empty-output");
    assert!(skips[1].2.contains("all 1 lines were removed"), "{skips:?}");
}

#[test]
fn revisits_are_counted_and_wet_and_arc_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut records = pages(2);
    records.push(warc_record(
        "revisit",
        3,
        "WARC-Target-URI: https://news1.example/story/1\r\n\
         WARC-Refers-To: <urn:uuid:00000000-0000-4000-8000-000000000001>\r\n\
         WARC-Profile: http://netpreserve.org/warc/1.0/revisit/identical-payload-digest\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
    ));
    let (file, _) = warc_gz(&records);
    std::fs::write(dir.path().join("a.warc.gz"), file).unwrap();
    let wet = warc_record(
        "conversion",
        1,
        "WARC-Target-URI: https://wet.example/page\r\nContent-Type: text/plain\r\n",
        "Harbour reopens after repairs\nThe main pier reopened on Monday after a week of work on its pilings and deck.\n".as_bytes(),
    );
    std::fs::write(dir.path().join("b.warc.wet.gz"), gzip(&wet)).unwrap();
    // ARC, version 1: the file's description, a DNS record, a page and an image.
    let arc_record = |header: &str, block: &[u8]| {
        let mut out = format!("{header} {}\n", block.len()).into_bytes();
        out.extend_from_slice(block);
        out.push(b'\n');
        out
    };
    let make_arc = |n: usize| {
        let mut arc = arc_record(
            "filedesc://x.arc 0.0.0.0 20240101000000 text/plain",
            b"1 0 test\nURL IP-address Archive-date Content-type Archive-length\n",
        );
        arc.extend(arc_record(
            "dns:arc.example 10.0.0.1 20240102030400 text/dns",
            b"20240102030400\narc.example. 300 IN A 10.0.0.1\n",
        ));
        let mut page = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
        page.extend(article(n).as_bytes());
        arc.extend(arc_record(
            "http://arc.example/story 10.0.0.1 20240102030405 text/html",
            &page,
        ));
        arc.extend(arc_record(
            "http://arc.example/pic.jpg 10.0.0.1 20240102030406 image/jpeg",
            b"HTTP/1.0 200 OK\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff",
        ));
        arc
    };
    let arc = make_arc(78);
    std::fs::write(dir.path().join("c.arc.gz"), gzip(&make_arc(77))).unwrap();
    std::fs::write(dir.path().join("d.dat"), &arc).unwrap();
    let run = run(&["run", dir.path().to_str().unwrap()]);
    let report = run.report();
    let skips = skipped(&report);
    let revisit = skips
        .iter()
        .find(|s| s.1 == "revisit")
        .expect("a revisit skip");
    assert!(revisit.0.ends_with("a.warc.gz#3"));
    assert!(
        revisit
            .2
            .contains("WARC-Refers-To <urn:uuid:00000000-0000-4000-8000-000000000001>")
            && revisit.2.contains("a.warc.gz#1"),
        "{revisit:?}"
    );
    let wet = run.record("b.warc.wet.gz#1");
    assert_eq!(wet["source"]["format"], "text");
    assert_eq!(wet["url"], "https://wet.example/page");
    // ARC files are read, gzipped or not (known by their first bytes).
    for (name, n) in [("c.arc.gz#3", 77), ("d.dat#3", 78)] {
        let r = run.record(name);
        assert!(
            r["text"]
                .as_str()
                .unwrap()
                .contains(&format!("Story {} of", word(n)))
        );
        assert_eq!(r["url"], "http://arc.example/story");
        let c = &r["source"]["container"];
        assert_eq!(
            (&c["kind"], &c["date"]),
            (&"arc".into(), &"20240102030405".into())
        );
        let image = skips
            .iter()
            .find(|s| s.0.ends_with(&name.replace("#3", "#4")));
        assert_eq!(image.map(|s| s.1.as_str()), Some("no-payload"), "{skips:?}");
    }
    let d = run.record("d.dat#3");
    let offset = d["source"]["container"]["offset"].as_u64().unwrap() as usize;
    assert!(arc[offset..].starts_with(b"http://arc.example/story "));
}

#[test]
fn jsonl_lines_keep_upstream_fields_and_survive_bad_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let prose =
        "The harbour reopened on Monday after a week of repairs to the main pier and its deck.";
    let mut data = Vec::new();
    // A whitespace-only html field does not win over a real text field.
    data.extend(format!(r#"{{"id":"doc-1","html":"  \n ","text":"{prose} One.","metadata":{{"url":"https://a.example/1","lang":"en"}}}}"#).as_bytes());
    data.push(b'\n');
    // One invalid UTF-8 byte.
    data.extend(format!(r#"{{"id":"doc-2","text":"{prose} Two caf"#).as_bytes());
    data.push(0xE9);
    data.extend(br#"."}"#);
    data.push(b'\n');
    // A lone surrogate escape.
    data.extend(format!(r#"{{"id":"doc-3","text":"{prose} Three \ud800."}}"#).as_bytes());
    data.push(b'\n');
    std::fs::write(dir.path().join("docs.jsonl"), &data).unwrap();
    std::fs::write(dir.path().join("more.json.gz"), gzip(&data)).unwrap();
    let run = run(&[
        "run",
        dir.path().to_str().unwrap(),
        "--jsonl-url",
        "metadata.url",
    ]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(
        run.records().len(),
        3,
        "the .json.gz copies are exact duplicates"
    );
    assert_eq!(run.report()["duplicates"]["exact"], 3);
    let one = run.record("docs.jsonl#1");
    assert!(one["text"].as_str().unwrap().ends_with("One."));
    assert_eq!(one["url"], "https://a.example/1");
    assert_eq!(one["source"]["upstream"]["id"], "doc-1");
    assert_eq!(one["source"]["upstream"]["metadata"]["lang"], "en");
    assert!(one["source"]["upstream"].get("html").is_none());
    assert!(one["source"]["upstream"].get("text").is_none());
    for (n, what) in [(2, "invalid UTF-8"), (3, "a lone UTF-16 surrogate")] {
        let r = run.record(&format!("docs.jsonl#{n}"));
        assert_eq!(r["source"]["lossy"], true, "{r}");
        assert!(
            r["source"]["notes"][0].as_str().unwrap().contains(what),
            "{r}"
        );
        assert!(r["text"].as_str().unwrap().contains('\u{FFFD}'), "{r}");
        assert_eq!(r["source"]["upstream"]["id"], format!("doc-{n}"));
    }
}
