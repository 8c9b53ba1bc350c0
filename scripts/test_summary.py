"""Print the counts of each test leg from its JUnit XML and fail on a leg without tests."""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

totals = {"passed": 0, "failed": 0, "skipped": 0}
ok = True
for path in map(Path, sys.argv[1:]):
    if not path.exists():
        print(f"{path.stem}: geen resultaten (het deel is niet gedraaid)")
        ok = False
        continue
    root = ET.parse(path).getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    assert suite is not None
    tests, failures, errors, skipped = (int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
    passed = tests - failures - errors - skipped
    print(f"{path.stem}: {passed} passed, {failures + errors} failed, {skipped} skipped")
    totals["passed"] += passed
    totals["failed"] += failures + errors
    totals["skipped"] += skipped
    if tests == 0 or failures or errors:
        ok = False
print(f"total: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped")
sys.exit(0 if ok else 1)
