#!/usr/bin/env python3
"""Parses a Prometheus text exposition (stdin) with the reference parser of prometheus_client and prints it as
JSON: {family: {"type", "help", "samples": [{"name", "labels", "value"}]}}. Exit 1 if the text does not parse
or declares a family twice.

An oracle for the nimbus-beacon-sim tests: the simulator's /metrics page must be what Prometheus reads.
Infinite values are printed as null (JSON has no infinity) with "inf" set in the sample.
"""

import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    text = sys.stdin.read()
    families = {}
    try:
        for family in text_string_to_metric_families(text):
            samples = []
            for sample in family.samples:
                value = sample.value
                entry = {"name": sample.name, "labels": dict(sample.labels)}
                if math.isinf(value):
                    entry["value"] = None
                    entry["inf"] = "+" if value > 0 else "-"
                else:
                    entry["value"] = value
                samples.append(entry)
            known = families.get(family.name)
            if known is None:
                families[family.name] = {"type": family.type, "help": family.documentation, "samples": samples}
            elif known["type"] in ("unknown", "untyped") and family.type in ("unknown", "untyped"):
                # The 0.0.4 parser yields each sample outside a declared family (nim-metrics' `<counter>_total`
                # lines) as its own family: gather them under one name.
                known["samples"].extend(samples)
            else:
                print(f"family {family.name} is declared twice", file=sys.stderr)
                return 1
    except Exception as error:  # any parse error is the answer
        print(f"not a valid exposition: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    json.dump(families, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
