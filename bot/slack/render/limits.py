"""Block Kit limits (SLACK-NOTES.md) and a validator that lists every limit a message breaks.

Lengths are counted in UTF-16 code units, as Slack's JavaScript counts them: an emoji outside the
Basic Multilingual Plane costs two, so a text that passes here passes there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Block = dict[str, Any]

MAX_BLOCKS = 50
MAX_MODAL_BLOCKS = 100
SECTION_TEXT_MAX = 3000
FIELD_TEXT_MAX = 2000
MAX_FIELDS = 10
HEADER_TEXT_MAX = 150
CONTEXT_MAX_ELEMENTS = 10
CONTEXT_TEXT_MAX = 3000
ACTIONS_MAX_ELEMENTS = 25
ID_MAX = 255
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
URL_MAX = 3000
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
MAX_OPTIONS = 100
PLACEHOLDER_MAX = 150
CONFIRM_TITLE_MAX = 100
CONFIRM_TEXT_MAX = 300
CONFIRM_BUTTON_MAX = 30
PREFORMATTED_MAX = 3000
"""Slack documents no limit for rich text; we hold it to the section limit to stay clear of one."""

_TEXT_TYPES = frozenset({"plain_text", "mrkdwn"})
_RICH_CONTAINERS = frozenset(
    {"rich_text_section", "rich_text_preformatted", "rich_text_quote", "rich_text_list"}
)


def text_len(text: str) -> int:
    """Count `text` the way Slack does: in UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def validate_message(blocks: Sequence[Block], *, modal: bool = False) -> list[str]:
    """Return every Block Kit limit `blocks` break; an empty list means Slack accepts them."""
    problems: list[str] = []
    limit = MAX_MODAL_BLOCKS if modal else MAX_BLOCKS
    if not blocks:
        problems.append("message: no blocks")
    if len(blocks) > limit:
        problems.append(f"message: {len(blocks)} blocks > {limit}")
    block_ids: set[str] = set()
    for index, block in enumerate(blocks):
        where = f"blocks[{index}]"
        if not isinstance(block, Mapping):
            problems.append(f"{where}: not an object")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            _check_id(problems, f"{where}.block_id", block_id)
            if block_id in block_ids:
                problems.append(f"{where}.block_id: duplicate {block_id!r}")
            block_ids.add(block_id)
        checker = _BLOCK_CHECKERS.get(str(block.get("type")))
        if checker is None:
            problems.append(f"{where}: unknown block type {block.get('type')!r}")
        else:
            checker(problems, where, block)
    return problems


def _check_id(problems: list[str], where: str, value: object) -> None:
    if not isinstance(value, str) or not value:
        problems.append(f"{where}: not a non-empty string")
    elif text_len(value) > ID_MAX:
        problems.append(f"{where}: longer than {ID_MAX}")


def _check_text(
    problems: list[str], where: str, obj: object, maximum: int, *, plain: bool = False
) -> None:
    if not isinstance(obj, Mapping):
        problems.append(f"{where}: not a text object")
        return
    kind = obj.get("type")
    if kind not in _TEXT_TYPES or (plain and kind != "plain_text"):
        problems.append(f"{where}: bad text type {kind!r}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append(f"{where}: empty text")
    elif text_len(text) > maximum:
        problems.append(f"{where}: {text_len(text)} chars > {maximum}")


def _check_section(problems: list[str], where: str, block: Mapping[str, Any]) -> None:
    text, fields = block.get("text"), block.get("fields")
    if text is None and not fields:
        problems.append(f"{where}: section without text or fields")
    if text is not None:
        _check_text(problems, f"{where}.text", text, SECTION_TEXT_MAX)
    if fields is not None:
        if not isinstance(fields, list) or len(fields) > MAX_FIELDS:
            problems.append(f"{where}.fields: more than {MAX_FIELDS} or not a list")
        else:
            for i, field in enumerate(fields):
                _check_text(problems, f"{where}.fields[{i}]", field, FIELD_TEXT_MAX)
    accessory = block.get("accessory")
    if accessory is not None:
        _check_element(problems, f"{where}.accessory", accessory)


def _check_header(problems: list[str], where: str, block: Mapping[str, Any]) -> None:
    _check_text(problems, f"{where}.text", block.get("text"), HEADER_TEXT_MAX, plain=True)


def _check_context(problems: list[str], where: str, block: Mapping[str, Any]) -> None:
    elements = block.get("elements")
    if not isinstance(elements, list) or not 1 <= len(elements) <= CONTEXT_MAX_ELEMENTS:
        problems.append(f"{where}.elements: need 1 to {CONTEXT_MAX_ELEMENTS}")
        return
    for i, element in enumerate(elements):
        if isinstance(element, Mapping) and element.get("type") == "image":
            continue
        _check_text(problems, f"{where}.elements[{i}]", element, CONTEXT_TEXT_MAX)


def _check_actions(problems: list[str], where: str, block: Mapping[str, Any]) -> None:
    elements = block.get("elements")
    if not isinstance(elements, list) or not 1 <= len(elements) <= ACTIONS_MAX_ELEMENTS:
        problems.append(f"{where}.elements: need 1 to {ACTIONS_MAX_ELEMENTS}")
        return
    seen: set[str] = set()
    for i, element in enumerate(elements):
        _check_element(problems, f"{where}.elements[{i}]", element)
        action_id = element.get("action_id") if isinstance(element, Mapping) else None
        if isinstance(action_id, str):
            if action_id in seen:
                problems.append(f"{where}.elements[{i}].action_id: duplicate {action_id!r}")
            seen.add(action_id)


def _check_element(problems: list[str], where: str, element: object) -> None:
    if not isinstance(element, Mapping):
        problems.append(f"{where}: not an element")
        return
    kind = element.get("type")
    if "action_id" in element:
        _check_id(problems, f"{where}.action_id", element["action_id"])
    if "confirm" in element:
        _check_confirm(problems, f"{where}.confirm", element["confirm"])
    if kind == "button":
        _check_button(problems, where, element)
    elif kind == "static_select":
        _check_select(problems, where, element)
    else:
        problems.append(f"{where}: unknown element type {kind!r}")


def _check_button(problems: list[str], where: str, element: Mapping[str, Any]) -> None:
    _check_text(problems, f"{where}.text", element.get("text"), BUTTON_TEXT_MAX, plain=True)
    value = element.get("value")
    if value is not None and (not isinstance(value, str) or text_len(value) > BUTTON_VALUE_MAX):
        problems.append(f"{where}.value: longer than {BUTTON_VALUE_MAX} or not a string")
    url = element.get("url")
    if url is not None and (not isinstance(url, str) or text_len(url) > URL_MAX):
        problems.append(f"{where}.url: longer than {URL_MAX}")
    if element.get("style") not in (None, "primary", "danger"):
        problems.append(f"{where}.style: {element.get('style')!r}")


def _check_select(problems: list[str], where: str, element: Mapping[str, Any]) -> None:
    if "placeholder" in element:
        _check_text(
            problems, f"{where}.placeholder", element["placeholder"], PLACEHOLDER_MAX, plain=True
        )
    options = element.get("options")
    if not isinstance(options, list) or not 1 <= len(options) <= MAX_OPTIONS:
        problems.append(f"{where}.options: need 1 to {MAX_OPTIONS}")
        return
    for i, option in enumerate(options):
        spot = f"{where}.options[{i}]"
        if not isinstance(option, Mapping):
            problems.append(f"{spot}: not an option")
            continue
        _check_text(problems, f"{spot}.text", option.get("text"), OPTION_TEXT_MAX)
        value = option.get("value")
        if not isinstance(value, str) or text_len(value) > OPTION_VALUE_MAX:
            problems.append(f"{spot}.value: longer than {OPTION_VALUE_MAX} or not a string")


def _check_confirm(problems: list[str], where: str, confirm: object) -> None:
    if not isinstance(confirm, Mapping):
        problems.append(f"{where}: not a confirm dialog")
        return
    _check_text(problems, f"{where}.title", confirm.get("title"), CONFIRM_TITLE_MAX, plain=True)
    _check_text(problems, f"{where}.text", confirm.get("text"), CONFIRM_TEXT_MAX)
    for key in ("confirm", "deny"):
        _check_text(problems, f"{where}.{key}", confirm.get(key), CONFIRM_BUTTON_MAX, plain=True)


def _check_rich_text(problems: list[str], where: str, block: Mapping[str, Any]) -> None:
    elements = block.get("elements")
    if not isinstance(elements, list) or not elements:
        problems.append(f"{where}.elements: empty")
        return
    for i, container in enumerate(elements):
        spot = f"{where}.elements[{i}]"
        if not isinstance(container, Mapping) or container.get("type") not in _RICH_CONTAINERS:
            problems.append(f"{spot}: not a rich text container")
            continue
        parts = container.get("elements")
        if not isinstance(parts, list) or not parts:
            problems.append(f"{spot}.elements: empty")
            continue
        total = 0
        for part in parts:
            text = part.get("text") if isinstance(part, Mapping) else None
            if isinstance(part, Mapping) and part.get("type") == "text" and isinstance(text, str):
                total += text_len(text)
            elif not isinstance(part, Mapping) or part.get("type") not in ("emoji", "link"):
                problems.append(f"{spot}: bad rich text element")
        if total == 0:
            problems.append(f"{spot}: empty text")
        if total > PREFORMATTED_MAX:
            problems.append(f"{spot}: {total} chars > {PREFORMATTED_MAX}")


def _check_divider(problems: list[str], where: str, block: Mapping[str, Any]) -> None:
    extra = set(block) - {"type", "block_id"}
    if extra:
        problems.append(f"{where}: divider with {sorted(extra)}")


_BLOCK_CHECKERS = {
    "section": _check_section,
    "header": _check_header,
    "context": _check_context,
    "actions": _check_actions,
    "rich_text": _check_rich_text,
    "divider": _check_divider,
}
