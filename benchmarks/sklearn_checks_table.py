"""scikit-learn's own estimator checks over every estimator of ours: a table per estimator.

    python benchmarks/sklearn_checks_table.py

Runs `sklearn.utils.estimator_checks.check_estimator` on each estimator that
`utils.base.example_estimators()` finds, with the test suite's small settings
(`FAST`) and its listed deviations (`EXPECTED_FAILURES`, each with its reason in
tests/test_sklearn_compatibility.py), and prints run / passed / expected to fail.
"""
import collections
import importlib.util
import warnings

from sklearn.utils.estimator_checks import check_estimator

import utils
from utils.base import example_estimators


def main():
    warnings.simplefilter("ignore")
    path = utils.REPO_ROOT / "tests" / "test_sklearn_compatibility.py"
    spec = importlib.util.spec_from_file_location("sklearn_compatibility", path)
    compat = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compat)
    rows = []
    for name, estimator in example_estimators():
        estimator.set_params(**compat.FAST.get(name, {}))
        results = check_estimator(estimator, on_fail=None, expected_failed_checks=compat.EXPECTED_FAILURES.get(name, {}))
        status = collections.Counter(result["status"] for result in results)
        run = status["passed"] + status["failed"] + status["xfail"]
        rows.append((name, run, status["passed"], status["xfail"], status["failed"], status["skipped"]))
    print("| estimator | checks run | passed | expected to fail | unexpected failures | skipped | passed share |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, run, passed, xfail, failed, skipped in rows:
        print(f"| {name} | {run} | {passed} | {xfail} | {failed} | {skipped} | {100 * passed / run:.0f}% |")
    total = [sum(row[i] for row in rows) for i in range(1, 6)]
    print(f"| **all {len(rows)}** | {total[0]} | {total[1]} | {total[2]} | {total[3]} | {total[4]} | "
          f"{100 * total[1] / total[0]:.1f}% |")


if __name__ == "__main__":
    main()
