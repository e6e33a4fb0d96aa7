"""The exported JSON Schemas describe what `portal check` accepts."""

import json

from generator.cli import main
from generator.content.schema import STATUS_ALIASES, STATUSES
from generator.site.data import json_schema


def test_notice_schema_shape():
    schema = json_schema("notice")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["required"] == ["title", "issuer", "published", "kind"]
    assert schema["additionalProperties"] is False
    postcode = schema["properties"]["contacts"]["properties"]["postal"]["anyOf"][0]["properties"][
        "postcode"
    ]
    assert postcode["type"] == "string" and postcode["pattern"] == "^(?:[0-9]{6})$"


def test_item_schema_lists_statuses_and_aliases():
    status = json_schema("item")["properties"]["status"]
    assert status["enum"] == [*STATUSES, *STATUS_ALIASES]


def test_cli_prints_the_schema(capsys):
    assert main(["schema", "item"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "整改事项 item block"
