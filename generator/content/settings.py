"""(Stage 1, load) Portal settings (``portal.yml``, optional): what applies to every notice.

Read with the same strict YAML and schema as notices, so its mistakes are located errors too.
It holds the portal's standing feedback channels (used by notices that list none, offered when
a notice's own have closed) and the national reporting lines offered on every notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.content import schema, yamltree
from generator.content.load import decode, display_path
from generator.errors import Diagnostic
from generator.i18n import m

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
"""The one-character province names that open ICP and public-security registration numbers."""

SITE_CODE = schema.Text(
    r"[0-9]{10}|bm[0-9]{8}",
    m(
        "a 网站标识码: ten digits (six of the area code, four of the site), or bm and eight digits for a State Council department, e.g. '3402000001'"
    ),
)
ICP = schema.Text(
    rf"[{PROVINCES}]ICP备[0-9]{{6,10}}号(?:-[0-9]{{1,3}})?",
    m("an ICP备案号, e.g. 皖ICP备2021000001号-1"),
)
POLICE = schema.Text(
    rf"[{PROVINCES}]公网安备 ?[0-9]{{14}}号",
    m("a 公安备案号: province, 公网安备, fourteen digits and 号, e.g. 皖公网安备 34020202000001号"),
)

IDENTITY = schema.Obj(
    (
        schema.Field(
            "host",
            schema.Text(),
            m("主办单位, e.g. 中共江滨市委巡察工作领导小组办公室"),
            required=True,
        ),  # fmt: skip
        schema.Field(
            "operator", schema.Text(), m("承办单位 (who runs the site), when not the host")
        ),
        schema.Field("phone", schema.PHONE, m("the site's contact line (联系电话)")),
        schema.Field("email", schema.EMAIL, m("the site's contact address (联系邮箱)")),
        schema.Field("address", schema.Text(), m("the host's postal address (地址)")),
        schema.Field("site_code", SITE_CODE, m("网站标识码 (government websites)")),
        schema.Field("icp", ICP, m("ICP备案号; linked to the MIIT register (beian.miit.gov.cn)")),
        schema.Field("police", POLICE, m("公安备案号; linked to the public-security register")),
    ),
    m("a mapping of the site's identity"),
)

SETTINGS = schema.Obj(
    (
        schema.Field(
            "site",
            IDENTITY,
            m(
                "the site's identity, printed at the foot of every page: 主办单位, 承办单位, contacts and registration numbers"
            ),
        ),
        schema.Field(
            "contacts",
            schema.CONTACTS,
            m(
                "the portal's standing feedback channels: used by notices that list none, and offered once a notice's own channels have closed"
            ),
        ),
        schema.Field(
            "national",
            schema.CONTACTS.fields[0].spec,
            m(
                "national reporting lines offered on every notice, e.g. {{number: '12388', label: 中央纪委国家监委举报电话}}"
            ),
        ),
    ),
    m("portal settings"),
)


@dataclass(frozen=True)
class Identity:
    """Who publishes the site, as government sites print it at the foot of every page."""

    host: str
    operator: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    site_code: str = ""
    icp: str = ""
    police: str = ""

    @property
    def police_code(self) -> str:
        """The fourteen digits of the public-security number (its register's query key)."""
        return "".join(ch for ch in self.police if ch.isdigit())


def _identity(fields: dict[str, Any] | None) -> Identity | None:
    if not fields or not fields.get("host"):
        return None
    return Identity(**{k: v for k, v in fields.items() if v})


@dataclass(frozen=True)
class Settings:
    """Portal-wide settings."""

    contacts: dict[str, Any] | None = None
    """Standing channels (typed by the contacts schema), or None."""
    national: list[dict[str, str]] | None = None
    """National reporting lines (phone mappings), or None."""
    identity: Identity | None = None
    """The site's identity (``site:``), or None."""

    @property
    def channels(self) -> dict[str, Any] | None:
        """What every notice is read with: the standing channels and the national lines."""
        if not self.contacts and not self.national:
            return None
        return {**(self.contacts or {}), "national": self.national or []}


def load_settings(path: Path) -> tuple[Settings, list[Diagnostic]]:
    """Settings from ``path``; a missing file means no settings."""
    if not path.is_file():
        return Settings(), []
    shown = display_path(path)
    text, problems = decode(path.read_bytes(), shown)
    if text is None:
        return Settings(), problems
    node, problems = yamltree.parse_yaml(text, shown, first_line=1)
    if node is None:
        return Settings(), problems
    ck = schema.Checker(shown)
    fields = SETTINGS.check(node, "", ck)
    fields = fields or {}
    settings = Settings(
        fields.get("contacts"), fields.get("national"), _identity(fields.get("site"))
    )
    return settings, problems + ck.diagnostics
