//! A synthetic crawl generator (work in progress).
