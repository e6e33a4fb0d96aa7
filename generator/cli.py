"""``portal``: the command line. Exit codes only here: 0 ok, 1 failure, 2 usage."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from generator.commands import ledger
from generator.commands import new as scaffold
from generator.commands.build import BuildOptions, build
from generator.commands.check import check, fix_punctuation
from generator.content.reference import format_reference
from generator.content.schema import KINDS
from generator.errors import ContentError, Diagnostic, PortalError, Severity
from generator.incremental.cache import CACHE_DIR
from generator.output.publish import WORK_DIR, work_dir
from generator.site.data import json_schema


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got '{text}'") from exc


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portal", description="整改进展公开平台: check, build and preview notices."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="validate notices; all problems as path:line:col")
    p.add_argument("paths", nargs="*", type=Path, default=[Path("content")])
    p.add_argument(
        "--fix",
        action="store_true",
        help="first make ASCII ,:;() in Chinese text full-width, in place",
    )

    for name, text in (
        ("build", "build the portal into site/"),
        ("serve", "live preview on 127.0.0.1"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("--content", type=Path, default=Path("content"))
        p.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
        p.add_argument(
            "--as-of", type=_date, help="date overdue is computed against (default: today, UTC+8)"
        )
        p.add_argument(
            "--no-cache",
            action="store_true",
            help="do not reuse earlier work kept in .portal/cache (nor keep any)",
        )
        if name == "build":
            p.add_argument("--site", type=Path, default=Path("site"))
        else:
            p.add_argument("--port", type=int, default=8000)
            p.add_argument("--host", default="127.0.0.1")

    p = sub.add_parser("schema", help="print the JSON Schema of the front matter or an item block")
    p.add_argument("which", nargs="?", choices=("notice", "item"), default="notice")
    p.add_argument(
        "--reference", action="store_true", help="print the format reference (Markdown) instead"
    )

    p = sub.add_parser(
        "import", help="turn published notices (text or saved web page) into draft notices"
    )
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("-o", "--output", type=Path, default=Path("content/imported"))
    p.add_argument("--force", action="store_true", help="overwrite existing files")

    p = sub.add_parser("ledger", help="the ledger (整改台账) out to a spreadsheet and back")
    which = p.add_subparsers(dest="action", required=True)
    for action, text in (
        ("export", "write one row per problem (latest status) to FILE.csv, for Excel or WPS"),
        ("apply", "write the edited cells of FILE.csv back into the notices' item blocks"),
    ):
        q = which.add_parser(action, help=text)
        q.add_argument("file", type=Path)
        q.add_argument("--content", type=Path, default=Path("content"))
        q.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
        q.add_argument("--as-of", type=_date, help="date overdue is computed against")
        if action == "apply":
            q.add_argument("--dry-run", action="store_true", help="show the changes, write nothing")

    p = sub.add_parser("new", help="write a new notice skeleton that passes `portal check`")
    p.add_argument("path", type=Path)
    p.add_argument("--title", required=True)
    p.add_argument("--issuer", required=True)
    p.add_argument("--kind", choices=KINDS, default=KINDS[0])
    p.add_argument("--published", type=_date, default=None)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except ContentError as exc:
        _print_diagnostics(exc.diagnostics, "; nothing was published")
        return 1
    except PortalError as exc:
        print(f"portal: error: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    if args.command == "check":
        for line in fix_punctuation(args.paths) if args.fix else ():
            print(line, file=sys.stderr)
        portal, problems = check(args.paths, keep_bodies=False, drafts=True)
        _print_diagnostics(problems, "")
        if portal is not None:
            published = [n for n in portal.notices if not n.draft]
            drafts = len(portal.notices) - len(published)
            items = sum(len(n.items) for n in published)
            more = f"; {drafts} draft(s), not published" if drafts else ""
            print(f"ok: {len(published)} notice(s), {items} item(s){more}", file=sys.stderr)
        return 0 if portal is not None else 1
    if args.command == "build":
        cache = None if args.no_cache else work_dir(args.site) / CACHE_DIR
        report = build(BuildOptions(args.content, args.site, args.config, args.as_of, cache))
        _print_diagnostics(report.warnings, "")
        for warning in report.engine_warnings:
            print(f"portal: engine warning: {warning}", file=sys.stderr)
        stages = ", ".join(f"{k} {v:.2f}s" for k, v in report.seconds.items())
        print(
            f"built {report.notices} notice(s), {report.items} item(s) into {args.site}/ ({stages})",
            file=sys.stderr,
        )
        if report.drafts:
            print(f"left out {len(report.drafts)} draft(s) (draft: true): "
                  + ", ".join(report.drafts), file=sys.stderr)  # fmt: skip
        if cache:
            print(
                f"reused from {cache}: {report.reused} of {report.notices} notice(s), "
                f"{report.shards_reused} index shard(s); {report.linked} page(s) unchanged",
                file=sys.stderr,
            )
        return 0
    if args.command == "serve":
        from generator.commands.serve import serve

        cache = None if args.no_cache else Path(WORK_DIR) / CACHE_DIR
        preview = Path(WORK_DIR) / "preview"
        return serve(
            BuildOptions(args.content, preview, args.config, args.as_of, cache, drafts=True),
            args.host,
            args.port,
        )
    if args.command == "schema":
        text = (
            format_reference()
            if args.reference
            else json.dumps(json_schema(args.which), ensure_ascii=False, indent=1) + "\n"
        )
        sys.stdout.write(text)
        return 0
    if args.command == "import":
        from generator.importer.run import import_files

        for line in import_files(args.files, args.output, args.force):
            print(line, file=sys.stderr)
        return 0
    if args.command == "ledger":
        return _ledger(args)
    if args.command == "new":
        scaffold.new_notice(args.path, args.title, args.issuer, args.kind, args.published)
        print(f"wrote {args.path}; check it with: portal check {args.path}", file=sys.stderr)
        return 0
    raise AssertionError(args.command)  # pragma: no cover


def _ledger(args: argparse.Namespace) -> int:
    if args.action == "export":
        rows = ledger.export(args.file, args.content, args.config, args.as_of)
        print(f"wrote {args.file}: {rows} problem(s), one row each", file=sys.stderr)
        return 0
    result = ledger.apply(args.file, args.content, args.config, args.dry_run, args.as_of)
    for change in result.changes:
        print(change)
    for warning in result.problems:
        print(warning, file=sys.stderr)
    files = len(result.files) if result.changes else 0
    done = "would change" if args.dry_run else "changed"
    if not result.changes:
        print(f"{args.file}: no cell differs from the notices; nothing to write", file=sys.stderr)
    else:
        print(f"{done} {len(result.changes)} field(s) in {files} file(s)", file=sys.stderr)
    return 0


def _print_diagnostics(diagnostics: Sequence[Diagnostic], consequence: str) -> None:
    for d in diagnostics:
        print(d, file=sys.stderr)
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    if errors:
        files = len({d.path for d in diagnostics})
        print(
            f"{errors} error(s), {warnings} warning(s) in {files} file(s){consequence}",
            file=sys.stderr,
        )


if __name__ == "__main__":
    sys.exit(main())
