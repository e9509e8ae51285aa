"""The frameworks catalogue: both data files load, their format is checked, and what they
say fits the code that reads them (rule kinds, body kinds, attachment kinds)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helhedsplan.agreements.models import SECTION_KEYS, AttachmentKind
from helhedsplan.frameworks import catalogue
from helhedsplan.organisation.models import Body
from helhedsplan.organisation.rules import RULE_KINDS

BODY_KINDS = {k.value for k in Body.Kind}


def _items(framework: catalogue.Framework) -> list[catalogue.Item]:
    return [
        *framework.focus_areas,
        *framework.attachments,
        *framework.sections,
        *framework.measurement_duties,
        *framework.facts,
    ]


def test_both_frameworks_load() -> None:
    assert [f.code for f in catalogue.all_frameworks()] == ["2015-18", "2019-26"]
    assert catalogue.choices() == [
        ("2015-18", "Landsbyggefondens 2015-18-midler"),
        ("2019-26", "Landsbyggefondens 2019-26-midler"),
    ]
    with pytest.raises(catalogue.UnknownFramework):
        catalogue.get("2031-34")


def test_a_file_of_a_newer_format_is_refused(tmp_path: Path) -> None:
    raw = json.loads((catalogue.DATA / "2015-18.json").read_text(encoding="utf-8"))
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({**raw, "format": catalogue.FORMAT + 1}), encoding="utf-8")
    with pytest.raises(catalogue.FormatError, match="format 2"):
        catalogue.read(newer)
    nameless = tmp_path / "nameless.json"
    nameless.write_text(json.dumps({**raw, "code": ""}), encoding="utf-8")
    with pytest.raises(catalogue.FormatError, match="code"):
        catalogue.read(nameless)
    assert catalogue.read(catalogue.DATA / "2015-18.json") == catalogue.get("2015-18")


@pytest.mark.parametrize("code", ["2015-18", "2019-26"])
def test_every_rule_is_a_known_kind_with_its_required_params(code: str) -> None:
    framework = catalogue.get(code)
    for rule in framework.rules:
        assert rule.kind in RULE_KINDS, rule
        _check, required = RULE_KINDS[rule.kind]
        assert required <= set(rule.params), (rule.kind, required - set(rule.params))
        assert rule.body_kind in BODY_KINDS, rule
        assert rule.description and rule.source, rule
        if "body_kind" in rule.params:
            assert rule.params["body_kind"] in BODY_KINDS, rule


@pytest.mark.parametrize("code", ["2015-18", "2019-26"])
def test_every_body_is_a_body_kind_and_keys_are_unique(code: str) -> None:
    framework = catalogue.get(code)
    assert {b.kind for b in framework.bodies} <= BODY_KINDS
    assert len({b.kind for b in framework.bodies}) == len(framework.bodies)
    for items in (
        framework.focus_areas,
        framework.attachments,
        framework.sections,
        framework.measurement_duties,
    ):
        keys = [i.key for i in items]
        assert len(keys) == len(set(keys)), keys
    assert all(len(s.key) <= 10 for s in framework.sections)  # AgreementSection.key
    assert all(len(a.key) <= 30 for a in framework.attachments)  # PlanAttachment.kind


def test_the_2015_18_framework_is_the_seeds() -> None:
    framework = catalogue.get("2015-18")
    # The attachments the exporters name, and the sections existing callers name.
    assert framework.attachment_keys() == [(k.value, str(k.label)) for k in AttachmentKind]
    assert framework.section_keys() == SECTION_KEYS
    assert [f.name for f in framework.focus_areas] == [
        "Tryghed og trivsel",
        "Kriminalpræventiv indsats",
        "Uddannelse og beskæftigelse",
        "Forebyggelse og forældreansvar",
    ]
    assert {b.kind for b in framework.bodies} == BODY_KINDS  # the seed's § 2 has them all
    assert all(i.known == catalogue.Known.VERIFIED for i in _items(framework))
    duties = {d.key: d.extra["frequency"] for d in framework.measurement_duties}
    assert duties == {
        "central_measurements": "yearly",
        "local_targets_audit": "yearly",
        "delivery_measurement": "quarterly",
        "coordination_group_evaluation": "yearly",
        "follow_up_group_evaluation": "yearly",
        "board_assessment": "twice_yearly",
        "programme_evaluation": "twice",
    }
    assert all(d.source.startswith("Aftalens afsnit") for d in framework.measurement_duties)


def test_2019_26_marks_what_is_not_known_instead_of_leaving_it_empty() -> None:
    framework = catalogue.get("2019-26")
    items = _items(framework)
    for item in items:
        assert item.name.strip() and item.source.strip(), item
    for body in framework.bodies:
        assert body.source.strip(), body
    known = {i.known for i in items} | {b.known for b in framework.bodies}
    assert known == {catalogue.Known.UNVERIFIED, catalogue.Known.UNKNOWN}
    # Nothing of 2019-26 is read in the regulativ itself: nothing claims to be verified.
    assert not any(r.known == catalogue.Known.VERIFIED for r in framework.rules)
    assert [f.name for f in framework.focus_areas] == [
        "Uddannelse og livschancer",
        "Beskæftigelse",
        "Kriminalitetsforebyggelse",
        "Sammenhængskraft og medborgerskab",
    ]
    unknown = {a.key for a in framework.attachments if a.known == catalogue.Known.UNKNOWN}
    assert "budget" in unknown and "other_required" in unknown
    # A section whose heading is not known is not required to have text.
    assert "oevrige" not in framework.required_section_keys()
    assert "indsatser" in framework.required_section_keys()
