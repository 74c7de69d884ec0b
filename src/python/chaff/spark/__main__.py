"""The command line: ``python -m chaff.spark run --inputs PATHS_FILE --out DIR``.

Also runs under ``spark-submit`` (give it this file's path; the session then comes from
spark-submit's settings, and ``--master`` is ignored). Exit codes as for ``chaff run``: 0 every
input was written, a duplicate or not a document, 1 a document was lost or failed (named in
report.json), 2 fatal error.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional


def parse(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m chaff.spark", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="clean the inputs on Spark, as `chaff run` would")
    run.add_argument("--inputs", required=True, metavar="PATHS_FILE",
                     help="a file with one input (file or folder, local or URI) per line")
    run.add_argument("--out", required=True, metavar="DIR",
                     help="output folder (created if missing; must hold no earlier parts)")
    run.add_argument("--partitions", type=int, metavar="N",
                     help="tasks per stage and parts written (default: Spark's default parallelism)")
    run.add_argument("--master", metavar="URL",
                     help="Spark master when not run by spark-submit (default: local[*])")
    run.add_argument("--max-bytes", metavar="SIZE")
    run.add_argument("--min-units", type=int, metavar="N")
    run.add_argument("--site-share", type=float, metavar="SHARE")
    run.add_argument("--min-sites", type=int, metavar="N")
    run.add_argument("--strong-share", type=float, metavar="SHARE")
    run.add_argument("--jsonl-url", metavar="NAME")
    run.add_argument("--jsonl-html", metavar="NAME")
    run.add_argument("--jsonl-text", metavar="NAME")
    run.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    run.add_argument("--timings", action="store_true", help="print the time each step took")
    args = parser.parse_args(argv)
    if args.partitions is not None and args.partitions < 1:
        parser.error("--partitions must be at least 1")
    return args


def session(master: Optional[str]):
    """The active SparkSession (spark-submit's), or a new one on ``master``."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName("chaff")
    if "PYSPARK_GATEWAY_PORT" in os.environ:
        # Started by spark-submit: its --master and --conf settings apply.
        return builder.getOrCreate()
    # Python workers must run this interpreter, where chaff (and its binary) is installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return builder.master(master or "local[*]").getOrCreate()


def main(argv: Optional[List[str]] = None) -> int:
    args = parse(argv)
    from chaff.spark import InputError, Options, StageFailed, read_paths_file, run

    options = Options(
        max_bytes=args.max_bytes, min_units=args.min_units, site_share=args.site_share,
        min_sites=args.min_sites, strong_share=args.strong_share, jsonl_url=args.jsonl_url,
        jsonl_html=args.jsonl_html, jsonl_text=args.jsonl_text,
    )
    spark = session(args.master)
    try:
        inputs = read_paths_file(spark, args.inputs)
        if not inputs:
            print(f"chaff: {args.inputs}: lists no input", file=sys.stderr)
            return 2
        summary = run(spark, inputs, args.out, partitions=args.partitions, options=options)
    except (InputError, StageFailed) as err:
        print(f"chaff: {err}", file=sys.stderr)
        return 2
    except Exception as err:  # a failed Spark job carries the task's error in its text
        print(f"chaff: the Spark job failed: {_job_error(err)}", file=sys.stderr)
        return 2
    report = summary.report
    for skipped in report["skipped_inputs"]:
        print(f"chaff: {skipped['path']}: {skipped['message']}", file=sys.stderr)
    if not args.quiet:
        dups = report["duplicates"]
        print(
            f"chaff: {report['seen']} seen, {report['written']} written, "
            f"{dups['exact']} exact and {dups['same-text']} same-text duplicates, "
            f"{report['skipped']} skipped; {len(summary.outputs) - 2} parts in {args.out} "
            f"({summary.partitions} partitions)",
            file=sys.stderr,
        )
    if args.timings:
        for step, seconds in summary.timings:
            print(f"chaff: step {step:<22} {seconds:9.3f} s", file=sys.stderr)
    return exit_code(report)


# The skip kinds that mean an input that should have been a document was lost (chaff run's
# `SkipKind::is_failure`); images, redirects, revisits and the like are not failures.
FAILURE_KINDS = frozenset({"too-large", "unreadable", "changed", "damaged", "out-of-resources"})


def exit_code(report: dict) -> int:
    """chaff run's exit code for a report: 1 when a document was lost or chaff failed on one,
    0 when every input was written, a duplicate, or not a document."""
    lost = any(skip["kind"] in FAILURE_KINDS for skip in report["skipped_inputs"])
    return 1 if lost or report.get("failures") else 0


def _job_error(err: Exception) -> str:
    """chaff's own message out of a failed job's Java stack trace, when it is there."""
    text = str(err)
    for line in text.splitlines():
        if "StageFailed" in line or "chaff:" in line:
            return line.strip()
    return text.splitlines()[0] if text else type(err).__name__


if __name__ == "__main__":
    sys.exit(main())
