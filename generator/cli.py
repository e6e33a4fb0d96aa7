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
from generator.i18n import LANGUAGES, Msg, from_environment, m, use
from generator.i18n.argparse_zh import argparse_in
from generator.incremental.cache import CACHE_DIR
from generator.output.publish import WORK_DIR, work_dir
from generator.site.data import json_schema


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            str(m("expected a date YYYY-MM-DD, got '{got}'", got=text))
        ) from exc


def _parser() -> argparse.ArgumentParser:
    """The command line, its help in the current language (``generator.i18n``)."""
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument(
        "--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
        help=str(m("language of messages and help: zh (简体中文, the default) or en")),
    )  # fmt: skip
    parser = argparse.ArgumentParser(
        prog="portal",
        description=str(m("整改进展公开平台: check, build and preview notices.")),
        parents=[lang],
    )
    sub = parser.add_subparsers(dest="command", required=True, title=str(m("commands")))

    def command(name: str, text: Msg) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=str(text), description=str(text), parents=[lang])

    p = command("check", m("validate notices; all problems as path:line:col"))
    p.add_argument(
        "paths", nargs="*", type=Path, default=[Path("content")],
        help=str(m("files or folders to check (default: content)")),
    )  # fmt: skip
    p.add_argument(
        "--fix", action="store_true",
        help=str(m("first make ASCII ,:;() in Chinese text full-width, in place")),
    )  # fmt: skip

    for name, text in (
        ("build", m("build the portal into site/")),
        ("serve", m("live preview on 127.0.0.1")),
    ):
        p = command(name, text)
        p.add_argument("--content", type=Path, default=Path("content"),
                       help=str(m("the notices' folder (default: content)")))  # fmt: skip
        p.add_argument("--config", type=Path, default=Path("mkdocs.yml"),
                       help=str(m("the site configuration (default: mkdocs.yml)")))  # fmt: skip
        p.add_argument("--as-of", type=_date,
                       help=str(m("date overdue is computed against (default: today, UTC+8)")))  # fmt: skip
        p.add_argument(
            "--no-cache", action="store_true",
            help=str(m("do not reuse earlier work kept in .portal/cache (nor keep any)")),
        )  # fmt: skip
        if name == "build":
            p.add_argument("--site", type=Path, default=Path("site"),
                           help=str(m("the folder to build into (default: site)")))  # fmt: skip
        else:
            p.add_argument("--port", type=int, default=8000, help=str(m("port (default: 8000)")))
            p.add_argument("--host", default="127.0.0.1",
                           help=str(m("address to listen on (default: 127.0.0.1)")))  # fmt: skip

    p = command("schema", m("print the JSON Schema of the front matter or an item block"))
    p.add_argument("which", nargs="?", choices=("notice", "item"), default="notice",
                   help=str(m("notice: the front matter; item: an item block")))  # fmt: skip
    p.add_argument("--reference", action="store_true",
                   help=str(m("print the format reference (Markdown) instead")))  # fmt: skip

    p = command("import", m("turn published notices (text or saved web page) into draft notices"))
    p.add_argument("files", nargs="+", type=Path,
                   help=str(m("published notices: text files or saved web pages")))  # fmt: skip
    p.add_argument("-o", "--output", type=Path, default=Path("content/imported"),
                   help=str(m("folder for the drafts (default: content/imported)")))  # fmt: skip
    p.add_argument("--force", action="store_true", help=str(m("overwrite existing files")))

    p = command("ledger", m("the ledger (整改台账) out to a spreadsheet and back"))
    which = p.add_subparsers(dest="action", required=True, title=str(m("commands")))
    for action, text in (
        ("export", m("write one row per problem (latest status) to FILE.csv, for Excel or WPS")),
        ("apply", m("write the edited cells of FILE.csv back into the notices' item blocks")),
    ):
        q = which.add_parser(action, help=str(text), description=str(text), parents=[lang])
        q.add_argument("file", type=Path, help=str(m("the spreadsheet (CSV)")))
        q.add_argument("--content", type=Path, default=Path("content"),
                       help=str(m("the notices' folder (default: content)")))  # fmt: skip
        q.add_argument("--config", type=Path, default=Path("mkdocs.yml"),
                       help=str(m("the site configuration (default: mkdocs.yml)")))  # fmt: skip
        q.add_argument("--as-of", type=_date, help=str(m("date overdue is computed against")))
        if action == "apply":
            q.add_argument("--dry-run", action="store_true",
                           help=str(m("show the changes, write nothing")))  # fmt: skip

    p = command("new", m("write a new notice skeleton that passes `portal check`"))
    p.add_argument("path", type=Path, help=str(m("the new file, e.g. content/notices/2025/x.md")))
    p.add_argument("--title", required=True, help=str(m("the notice's title")))
    p.add_argument("--issuer", required=True, help=str(m("the publishing unit")))
    p.add_argument("--kind", choices=KINDS, default=KINDS[0], help=str(m("the kind of notice")))
    p.add_argument("--published", type=_date, default=None,
                   help=str(m("publication date (default: a placeholder to fill in)")))  # fmt: skip
    return parser


def _language(argv: Sequence[str]) -> str:
    """``--lang`` if given (anywhere), else what the environment asks for."""
    for n, arg in enumerate(argv):
        if arg == "--lang" and n + 1 < len(argv) and argv[n + 1] in LANGUAGES:
            return argv[n + 1]
        if arg.startswith("--lang=") and arg[7:] in LANGUAGES:
            return arg[7:]
    return from_environment()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    use(_language(argv))
    with argparse_in():
        args = _parser().parse_args(argv)
    try:
        return _run(args)
    except ContentError as exc:
        _print_diagnostics(exc.diagnostics, m("; nothing was published"))
        return 1
    except PortalError as exc:
        print(m("portal: error: {why}", why=exc.message), file=sys.stderr)
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
            more = m("; {n} draft(s), not published", n=drafts) if drafts else ""
            print(m("ok: {n} notice(s), {items} item(s){more}", n=len(published), items=items,
                    more=more), file=sys.stderr)  # fmt: skip
        return 0 if portal is not None else 1
    if args.command == "build":
        cache = None if args.no_cache else work_dir(args.site) / CACHE_DIR
        report = build(BuildOptions(args.content, args.site, args.config, args.as_of, cache))
        _print_diagnostics(report.warnings, "")
        for warning in report.engine_warnings:
            print(m("portal: engine warning: {warning}", warning=warning), file=sys.stderr)
        stages = ", ".join(f"{k} {v:.2f}s" for k, v in report.seconds.items())
        print(m("built {n} notice(s), {items} item(s) into {site}/ ({stages})", n=report.notices,
                items=report.items, site=args.site, stages=stages), file=sys.stderr)  # fmt: skip
        if report.drafts:
            print(m("left out {n} draft(s) (draft: true): {files}", n=len(report.drafts),
                    files=", ".join(report.drafts)), file=sys.stderr)  # fmt: skip
        if cache:
            print(m(
                "reused from {cache}: {reused} of {n} notice(s), {shards} index shard(s); "
                "{linked} page(s) unchanged",
                cache=cache, reused=report.reused, n=report.notices,
                shards=report.shards_reused, linked=report.linked,
            ), file=sys.stderr)  # fmt: skip
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
        print(
            m("wrote {path}; check it with: portal check {path}", path=args.path), file=sys.stderr
        )
        return 0
    raise AssertionError(args.command)  # pragma: no cover


def _ledger(args: argparse.Namespace) -> int:
    if args.action == "export":
        rows = ledger.export(args.file, args.content, args.config, args.as_of)
        print(
            m("wrote {file}: {n} problem(s), one row each", file=args.file, n=rows), file=sys.stderr
        )
        return 0
    result = ledger.apply(args.file, args.content, args.config, args.dry_run, args.as_of)
    for change in result.changes:
        print(change)
    for warning in result.problems:
        print(warning, file=sys.stderr)
    files = len(result.files) if result.changes else 0
    if not result.changes:
        print(m("{file}: no cell differs from the notices; nothing to write", file=args.file),
              file=sys.stderr)  # fmt: skip
    elif args.dry_run:
        print(m("would change {n} field(s) in {files} file(s)", n=len(result.changes), files=files),
              file=sys.stderr)  # fmt: skip
    else:
        print(m("changed {n} field(s) in {files} file(s)", n=len(result.changes), files=files),
              file=sys.stderr)  # fmt: skip
    return 0


def _print_diagnostics(diagnostics: Sequence[Diagnostic], consequence: Msg | str) -> None:
    for d in diagnostics:
        print(d, file=sys.stderr)
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    if errors:
        files = len({d.path for d in diagnostics})
        print(m("{errors} error(s), {warnings} warning(s) in {files} file(s){consequence}",
                errors=errors, warnings=warnings, files=files, consequence=consequence),
              file=sys.stderr)  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
