"""Importer benchmark (``make bench``): ``portal import`` measured against hand-checked truth.

For every document of ``../shared/corpus/real/`` (with its ``NNN.json``) and every seed of
``../shared/corpus/seeds/``: items found / expected with the right number, category and title;
categories; each contact value; each metadata field the text prints; the Chinese characters
and digits of the source that reach the draft (or the report, as removed page furniture); and
whether the draft passes ``portal check`` as a draft. Writes ``bench/results/import.md``.

The comparison follows the corpus README: strings are compared with whitespace and the
crawler's ``<!--more-->`` marker removed; a printed date span is compared by the dates it names.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import opencc

from generator.commands.check import check
from generator.content.model import Notice
from generator.importer.run import import_one

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
RESULTS = ROOT / "bench" / "results" / "import.md"
SEED_TRUTH = ROOT / "bench" / "truth" / "seeds"
"""Our hand-checked truth for the seeds, in the corpus schema, but every string is a span
(line, start, end) into the seed: the project holds no text of theirs."""
AS_OF = dt.date(2026, 11, 22)
_T2S = opencc.OpenCC("t2s")


_WIDTH = str.maketrans(",:;()", "，：；（）")
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
"""Pinyin remnants of a mirrored page (``統(tǒng)``): the importer repairs them."""


def norm(text: str | None) -> str:
    """Whitespace and the crawler's marker removed; punctuation compared full-width (stores
    turned it into ASCII; the importer turns it back)."""
    text = _PINYIN.sub("", text or "")
    return re.sub(r"\s+|<!--more-->", "", _T2S.convert(text)).translate(_WIDTH)


def title(text: str | None) -> str:
    """A problem title compared without the full stop a quoted title may close with
    (``“固定资产管理不够规范。”问题``): a heading drops it."""
    return norm(text).rstrip("。；，.;,")


def dates_in(text: str, default_year: int | None = None) -> list[tuple[int, int, int]]:
    """The (year, month, day) a printed span names (a later date without a year takes the
    year before it)."""
    found, year = [], default_year
    for m in re.finditer(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日?", norm(text)):
        year = int(m[1]) if m[1] else year
        if year:
            found.append((year, int(m[2]), int(m[3])))
    return found


@dataclass
class Score:
    name: str
    kind: str = ""
    items: tuple[int, int, int] = (0, 0, 0)
    """(right, found, expected)"""
    categories: tuple[int, int] = (0, 0)
    contacts: tuple[int, int] = (0, 0)
    """(found, expected) contact values."""
    metadata: dict[str, str] = field(default_factory=dict)
    """field -> ok / missed / wrong / — (not printed)"""
    chars: tuple[int, int] = (0, 0)
    """(conserved, in the source)"""
    passes: bool = False
    lost: str = ""


def _contacts(notice: Notice | None) -> list[str]:
    if notice is None:
        return []
    c = notice.contacts
    return (
        [norm(p.number) for p in c.phones]
        + [norm(e) for e in c.emails]
        + [norm(p.address + p.recipient) + norm(p.postcode) for p in c.postal]
    )


def _contact_found(value: str, ours: list[str]) -> bool:
    value = norm(value)
    digits = re.sub(r"\D", "", value)
    for got in ours:
        if got and (got in value or value in got):
            return True
        if digits and len(digits) >= 7 and re.sub(r"\D", "", got) == digits:
            return True
    return False


def score(path: Path, truth: dict | None, workdir: Path) -> Score:
    imported = import_one(path)
    draft = imported.draft
    target = workdir / f"{imported.name}.md"
    target.write_text(draft, encoding="utf-8")
    portal, problems = check([target], AS_OF, workdir / "none.yml", drafts=True)
    notice = portal.notices[0] if portal and portal.notices else None
    s = Score(path.name, (notice.kind or "类别待填写") if notice else "(fails check)")
    s.passes = portal is not None
    kept = imported.kept
    s.chars, s.lost = (kept.kept, kept.source), "".join(sorted(kept.missing.elements()))[:40]
    if truth is None:
        s.items = (0, len(notice.items) if notice else 0, -1)
        return s
    items = notice.items if notice else ()
    categories = [norm(c) for c in truth["categories"]]
    right = 0
    for want in truth["items"]:
        for got in items:
            category = categories[want["category_index"]] if categories else ""
            if (got.label.strip("（）()") == want["number"] and title(got.problem) == title(want["title"])
                    and (not category or norm(got.category) == category)):  # fmt: skip
                right += 1
                break
    s.items = (right, len(items), len(truth["items"]))
    ours_categories = {norm(i.category) for i in items}
    s.categories = (sum(c in ours_categories for c in categories), len(categories))
    ours = _contacts(notice)
    wanted = [v for kind in ("phone", "email", "postal") for v in truth["contacts"][kind]]
    s.contacts = (sum(_contact_found(v, ours) for v in wanted), len(wanted))
    s.metadata = _metadata(truth, notice)
    return s


def _metadata(truth: dict, notice: Notice | None) -> dict[str, str]:
    out = {}
    ins = notice.inspection if notice else None

    def judge(name: str, printed: str | None, ok: bool, got: object) -> None:
        out[name] = "—" if not printed else ("ok" if ok else ("missed" if not got else "wrong"))

    issuer = notice.issuer if notice and "待填写" not in notice.issuer else ""
    judge("issuer", truth["issuer"], norm(issuer) == norm(truth["issuer"]), issuer)
    published = notice.published.iso() if notice and notice.published else ""
    dates = (
        truth["date"] if isinstance(truth["date"], list) else [truth["date"]] * bool(truth["date"])
    )
    judge("date", dates, published in dates, published)
    team = ins.team if ins else ""
    judge("team", truth["inspection_body"], norm(team) == norm(truth["inspection_body"]), team)
    period = [ins.start, ins.end] if ins and ins.start and ins.end else []
    printed = dates_in(truth["inspection_period"] or "", period[0].year if period else None)
    as_printed = bool(ins and ins.period_text) and norm(ins.period_text) in norm(
        truth["inspection_period"]
    )
    judge("period", truth["inspection_period"], as_printed or (bool(period) and
          [(d.year, d.month, d.day) for d in period] == printed[:2]), period or as_printed)  # fmt: skip
    fed = ins.feedback if ins else None
    printed_fed = dates_in(truth["feedback_date"] or "", fed.year if fed else None)
    if ins and ins.feedback_text and norm(ins.feedback_text) in norm(truth["feedback_date"]):
        out["feedback"] = "ok"
        return out
    judge("feedback", truth["feedback_date"], bool(fed) and printed_fed[:1] == [(fed.year, fed.month, fed.day)] if fed else False, fed)  # fmt: skip
    return out


def resolve(truth: dict, source: Path) -> dict:
    """The seed truth with its spans replaced by the text they point at."""
    lines = source.read_text(encoding="utf-8").split("\n")

    def text(value: object) -> object:
        if isinstance(value, dict) and set(value) == {"line", "start", "end"}:
            return lines[value["line"] - 1][value["start"] : value["end"]]
        if isinstance(value, dict):
            return {k: text(v) for k, v in value.items()}
        if isinstance(value, list):
            return [text(v) for v in value]
        return value

    return text(truth)


def run() -> list[Score]:
    documents = sorted(CORPUS.glob("real/*.txt")) + sorted(CORPUS.glob("seeds/*.txt"))
    scores = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in documents:
            truth_file = path.with_suffix(".json")
            seed_truth = SEED_TRUTH / f"{path.name[:3]}.json"
            if truth_file.exists():
                truth = json.loads(truth_file.read_text())
            elif seed_truth.exists():
                truth = resolve(json.loads(seed_truth.read_text()), path)
            else:
                truth = None
            scores.append(score(path, truth, Path(tmp)))
    return scores


def table(scores: list[Score]) -> str:
    rows = ["| document | imported as | items right/found/expected | categories | contacts | "
            "metadata (issuer, date, team, period, feedback) | characters conserved | check |",
            "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for s in scores:
        expected = "?" if s.items[2] < 0 else s.items[2]
        meta = " ".join(
            s.metadata.get(k, "·") for k in ("issuer", "date", "team", "period", "feedback")
        )
        chars = f"{s.chars[0]}/{s.chars[1]}" + (f" (lost: {s.lost})" if s.lost else "")
        rows.append(f"| {s.name} | {s.kind} | {s.items[0]}/{s.items[1]}/{expected} | "
                    f"{s.categories[0]}/{s.categories[1]} | {s.contacts[0]}/{s.contacts[1]} | {meta} | "
                    f"{chars} | {'ok' if s.passes else 'FAILS'} |")  # fmt: skip
    truth = [s for s in scores if s.items[2] >= 0]
    right = sum(s.items[0] for s in truth)
    expected = sum(s.items[2] for s in truth)
    false_items = sum(s.items[1] for s in truth if s.items[2] == 0)
    contacts = (sum(s.contacts[0] for s in truth), sum(s.contacts[1] for s in truth))
    meta = Counter(v for s in truth for v in s.metadata.values() if v != "—")
    chars = (sum(s.chars[0] for s in scores), sum(s.chars[1] for s in scores))
    rows += [
        "",
        f"Totals over {len(scores)} documents ({len(truth)} with ground truth): items right "
        f"{right}/{expected}; items found in documents that are not notices: {false_items}; "
        f"contact values {contacts[0]}/{contacts[1]}; metadata fields printed: "
        + ", ".join(f"{k} {v}" for k, v in sorted(meta.items()))
        + f"; characters conserved {chars[0]}/{chars[1]} ({100 * chars[0] / max(chars[1], 1):.2f}%); "
        f"drafts passing portal check: {sum(s.passes for s in scores)}/{len(scores)}.",
    ]
    return "\n".join(rows) + "\n"


def main() -> None:
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS} is not beside the checkout")
    text = ("# Importer against the corpus\n\n`python -m bench.importer` (part of `make bench`): "
            "`portal import` on `../shared/corpus/real/` (hand-checked truth) and the seeds (our "
            "hand-checked truth in `bench/truth/seeds/`, as spans into the seeds). Titles are compared "
            "without a closing full stop; 类别待填写: a text without numbered problems, whose kind "
            "the importer leaves to the editor.\n\n"
            + table(run()))  # fmt: skip
    RESULTS.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
