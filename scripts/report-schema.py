#!/usr/bin/env python3
"""Regenerates docs/report.schema.json (JSON Schema 2020-12) from the Rust types of the report.

The report model is plain serde structs spread over three crates; this script reads their
definitions (`pub name: Type` fields, unit enums with `rename_all = "snake_case"`, one
`#[serde(flatten)]`) and writes a strict schema: every field required, no unknown field,
`Option<T>` as `T` or null. The test suite validates real reports against the result, so a
type change without a schema update fails there.

Usage: scripts/report-schema.py > docs/report.schema.json
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    "crates/report/src/model.rs",
    "crates/metrics/src/profile/types.rs",
    "crates/topics/src/labels.rs",
    "crates/topics/src/tokenize.rs",
]
ROOT_TYPE = "Report"
INTEGERS = {"u8", "u16", "u32", "u64", "usize", "i32", "i64"}
NUMBERS = {"f32", "f64"}


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def parse(text):
    structs, enums = {}, {}
    for m in re.finditer(r"((?:#\[[^\]]*\]\s*)*)pub struct (\w+) \{(.*?)\n\}", text, re.S):
        fields = []
        flatten_next = False
        for line in m.group(3).splitlines():
            line = line.strip()
            if line.startswith("#[serde(flatten)]"):
                flatten_next = True
            fm = re.match(r"pub (\w+): (.+),$", line)
            if fm:
                fields.append((fm.group(1), fm.group(2).strip(), flatten_next))
                flatten_next = False
        structs[m.group(2)] = fields
    for m in re.finditer(r"((?:#\[[^\]]*\]\s*)*)pub enum (\w+) \{(.*?)\n\}", text, re.S):
        if "rename_all = \"snake_case\"" not in m.group(1):
            continue
        variants = re.findall(r"^\s+([A-Z]\w*),\s*$", m.group(3), re.M)
        enums[m.group(2)] = [snake(v) for v in variants]
    return structs, enums


def type_schema(ty, structs, enums):
    ty = ty.strip()
    ty = re.sub(r"^(std::collections::|std::)", "", ty)
    if ty.startswith("Option<"):
        inner = type_schema(ty[len("Option<"):-1], structs, enums)
        return {"anyOf": [inner, {"type": "null"}]}
    if ty.startswith("Vec<"):
        return {"type": "array", "items": type_schema(ty[len("Vec<"):-1], structs, enums)}
    if ty.startswith("BTreeMap<String,"):
        value = ty[len("BTreeMap<String,"):-1]
        return {"type": "object", "additionalProperties": type_schema(value, structs, enums)}
    if ty in INTEGERS:
        return {"type": "integer", "minimum": 0} if ty.startswith("u") else {"type": "integer"}
    if ty in NUMBERS:
        return {"type": "number"}
    if ty == "bool":
        return {"type": "boolean"}
    if ty == "String":
        return {"type": "string"}
    if ty in structs or ty in enums:
        return {"$ref": f"#/$defs/{ty}"}
    raise SystemExit(f"report-schema: no schema for Rust type `{ty}`")


def struct_schema(name, structs, enums):
    properties = {}
    for field, ty, flatten in structs[name]:
        if flatten:
            properties.update(struct_schema(ty, structs, enums)["properties"])
        else:
            properties[field] = type_schema(ty, structs, enums)
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def main():
    structs, enums = {}, {}
    for rel in SOURCES:
        s, e = parse((ROOT / rel).read_text(encoding="utf-8"))
        structs.update(s)
        enums.update(e)
    reachable, todo = [], [ROOT_TYPE]
    while todo:
        name = todo.pop()
        if name in reachable:
            continue
        reachable.append(name)
        if name in structs:
            for _, ty, _ in structs[name]:
                todo.extend(t for t in re.findall(r"\w+", ty) if t in structs or t in enums)
    defs = {}
    for name in sorted(reachable):
        if name == ROOT_TYPE:
            continue
        if name in enums:
            defs[name] = {"type": "string", "enum": enums[name]}
        else:
            defs[name] = struct_schema(name, structs, enums)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "contextivity.report/1",
        "title": "contextivity report.json",
        "description": "Written by `contextivity analyze`; see docs/REPORT.md and docs/METRICS.md. "
        "Generated from the Rust types by scripts/report-schema.py.",
        **struct_schema(ROOT_TYPE, structs, enums),
        "$defs": defs,
    }
    schema["properties"]["schema"] = {"const": "contextivity.report"}
    schema["properties"]["version"] = {"const": 1}
    json.dump(schema, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
