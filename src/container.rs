//! Containers: gzip, WARC and JSONL inputs (work in progress).
