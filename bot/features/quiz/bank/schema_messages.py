"""JSON-schema errors in words: which question, which field, what is wrong."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jsonschema import ValidationError


def extra_keys(exc: ValidationError) -> list[str]:
    allowed = exc.schema.get("properties", {}) if isinstance(exc.schema, dict) else {}
    instance: Any = exc.instance
    return [str(key) for key in instance if key not in allowed]


TYPE_WORDS = {
    "string": "text",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of fields",
    "integer": "a whole number",
    "number": "a number",
}


def question_and_field(path: Sequence[str | int], data: Any) -> tuple[str, str]:
    """("question ID: ", "options.B") for a path into the file's data; ("", "questions") outside a question."""
    if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
        item = data["questions"][path[1]]
        qid = item.get("id") if isinstance(item, dict) else None
        prefix = f"question {qid}: " if isinstance(qid, str) else f"question {path[1] + 1} in the file: "
        return prefix, ".".join(str(part) for part in path[2:])
    return "", ".".join(str(part) for part in path)


def schema_message(exc: ValidationError, data: Any) -> str:
    """A readable message naming the question and the field, from a JSON-schema error."""
    prefix, name = question_and_field(list(exc.absolute_path), data)
    value: Any = exc.instance
    kind = exc.validator
    rule: Any = exc.validator_value
    if kind == "required":
        missing = [key for key in rule if not isinstance(value, dict) or key not in value]
        names = ", ".join(repr(f"{name}.{key}" if name else key) for key in missing)
        return f"{prefix}missing field {names}"
    subject = f"{name} " if name else "the file "
    if kind == "type":
        return f"{prefix}{subject}must be {TYPE_WORDS.get(str(rule), str(rule))}, not {value!r}"
    if kind == "enum":
        return f"{prefix}{subject}must be one of {', '.join(map(str, rule))}, not {value!r}"
    if kind == "minLength":
        return f"{prefix}{subject}is too short ({len(value)} characters; at least {rule})"
    if kind == "maxLength":
        return f"{prefix}{subject}is too long ({len(value)} characters; at most {rule})"
    if kind == "pattern":
        return f"{prefix}{subject}{value!r} does not match the pattern {rule}"
    if kind == "minItems":
        return f"{prefix}{subject}must list at least {rule} item(s)"
    if kind == "maxItems":
        return f"{prefix}{subject}must list at most {rule} item(s)"
    if kind == "uniqueItems":
        return f"{prefix}{subject}must not list a letter twice"
    if kind == "minimum":
        return f"{prefix}{subject}must be at least {rule}, not {value!r}"
    if kind == "maximum":
        return f"{prefix}{subject}must be at most {rule}, not {value!r}"
    return f"{prefix}{subject}{exc.message}"
