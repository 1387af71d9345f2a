"""Validates a built dossier.json against docs/dossier.schema.json
(JSON Schema 2020-12) with the `jsonschema` package; lists every error.

    validate_schema.py SCHEMA DOSSIER_JSON"""

import json
import sys

import jsonschema

schema_path, data_path = sys.argv[1:3]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
with open(data_path, encoding="utf-8") as f:
    data = json.load(f)
jsonschema.Draft202012Validator.check_schema(schema)
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
for e in errors:
    print(f"{e.json_path}: {e.message[:300]}")
print(f"dossier.json against {schema['$id']}: {len(errors)} error(s)")
sys.exit(1 if errors else 0)
