"""The core runs without Django: an area's own machine needs only the package and its data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import datetime as dt, json, sys
from areasend.annexa import profile, reading, reports, rowwise, sampling, synthetic, validation
made = synthetic.generate(1, 30, seed=1, reference_date=dt.date(2026, 9, 1), errors={"missing_gender": 1})
path = synthetic.write_xlsx(__import__("pathlib").Path(sys.argv[1]), [made])
annex_list = reading.read_list(path)
report = validation.validate(annex_list, reference_date=dt.date(2026, 9, 1))
profile.profile(annex_list, reference_date=dt.date(2026, 9, 1))
sampling.suggest_sample(annex_list, reference_date=dt.date(2026, 9, 1), seed=1)
reports.report_xlsx(report)
print(json.dumps({"summary": report.summary, "django": sorted(m for m in sys.modules if m.split(".")[0] == "django")}))
"""


def test_the_core_imports_and_runs_without_django(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "l.xlsx")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.splitlines()[-1])
    assert out == {"summary": {"missing_gender": 1}, "django": []}
