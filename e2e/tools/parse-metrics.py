"""Reads an OpenMetrics text exposition (what every Sellout binary serves on
/metrics) on stdin with the Prometheus project's own parser
(prometheus_client.openmetrics.parser) and prints its families as JSON:
[{"name", "type", "help", "samples": [{"name", "labels", "value"}]}].
A malformed exposition exits 1 with the parser's message on stderr."""

import json
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families


def main() -> int:
    text = sys.stdin.read()
    try:
        families = [
            {
                "name": f.name,
                "type": f.type,
                "help": f.documentation,
                "samples": [
                    {"name": s.name, "labels": s.labels, "value": s.value}
                    for s in f.samples
                ],
            }
            for f in text_string_to_metric_families(text)
        ]
    except Exception as e:  # the parser raises ValueError and others
        print(f"not valid OpenMetrics: {e}", file=sys.stderr)
        return 1
    json.dump(families, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
