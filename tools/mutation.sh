#!/usr/bin/env bash
# Mutation testing of the plant, carbon and economics code with mutmut (>= 3). NOT run in CI: it takes
# tens of minutes. It works on a throw-away copy of the repository so that the checkout keeps no
# mutants/ directory and pyproject.toml needs no [tool.mutmut] section.
#
#   tools/mutation.sh              # plant/ and economics/cashflow.py (the modules with a 15 % target)
#   tools/mutation.sh full         # plant/, carbon.py and economics/
#   tools/mutation.sh FILE_GLOB... # any globs under src/, e.g. src/steelworks/plant/gas.py
#   JOBS=2 KEEP=/tmp/mut tools/mutation.sh   # worker processes; where the copy stays for `mutmut browse`
#   SKIP_TESTS= tools/mutation.sh            # also run the slow property tests against every mutant
#   FAST=1 ...                               # leave out the slow end-to-end test files too (see below)
#   SAMPLE=120 SEED=7 tools/mutation.sh 'src/steelworks/plant/*'
#       # a random sample of 120 of the generated mutants, split over the files in proportion to their
#       # mutant counts (at least 1 each), drawn with random.Random(SEED) from the sorted names; the
#       # names go to $WORK/sample.txt and only they are run and summarised
#   SAMPLE_FILE=/tmp/mut/sample.txt tools/mutation.sh 'src/steelworks/plant/*'   # the same mutants again
#
# Prints mutmut's per-mutant results and a summary (killed / survived / other, share surviving per
# file) that tools/MUTATION.md quotes. Needs: pip install mutmut.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
JOBS="${JOBS:-2}"
SKIP_TESTS="${SKIP_TESTS-tests/plant/test_conservation_properties.py tests/physics/test_properties.py tests/cli/test_evaluate_properties.py}"
# FAST=1 also leaves out (a) test files that call no plant/ function in the test process (the import-chain
# walk, unit-cache threads and subprocesses, the browser, kill -9 file writers, the hand-solved planner:
# mutmut never runs them against a plant/ mutant, they only cost the stats and clean runs) and (b) the
# slow end-to-end files (risk runs with dask workers, the app callbacks, the planner CLI, the fuzz run,
# plan risk: ~200 s of the ~240 s a surviving build_plant mutant reruns). (b) makes the share an upper bound.
if [ -n "${FAST:-}" ]; then
  SKIP_TESTS="$SKIP_TESTS tests/architecture/test_import_chain.py tests/test_units_threads.py tests/test_units_cache.py
    tests/app/test_browser.py tests/faults/test_output_files.py tests/planning/test_hand_solved.py
    tests/risk/test_risk_runs.py tests/app/test_callbacks.py tests/planning/test_cli_plan.py tests/faults/test_fuzz.py
    tests/risk/test_plan_risk.py"
fi
case "${1:-quick}" in
  quick) GLOBS=("src/steelworks/plant/*" "src/steelworks/economics/cashflow.py") ;;
  full) GLOBS=("src/steelworks/plant/*" "src/steelworks/carbon.py" "src/steelworks/economics/*") ;;
  *) GLOBS=("$@") ;;
esac
python -c "import mutmut" 2>/dev/null || { echo "mutmut is not installed: pip install mutmut" >&2; exit 2; }

WORK="${KEEP:-$(mktemp -d /tmp/steelworks-mutation.XXXXXX)}"
mkdir -p "$WORK"
rm -rf "$WORK/src" "$WORK/tests" "$WORK/mutants"
cp -r "$REPO/src" "$REPO/tests" "$REPO/pyproject.toml" "$WORK/"
[ -d "$REPO/docs" ] && cp -r "$REPO/docs" "$WORK/"
[ -d "$REPO/examples" ] && cp -r "$REPO/examples" "$WORK/"
rm -rf "$WORK/tools" && cp -r "$REPO/tools" "$WORK/"  # tests/faults/test_fuzz.py loads tools/fuzz.py
[ -f "$REPO/README.md" ] && cp "$REPO/README.md" "$WORK/"
find "$WORK" -name __pycache__ -prune -exec rm -rf {} +
{
  echo "[mutmut]"
  echo "source_paths = src"
  printf 'only_mutate =\n'
  for g in "${GLOBS[@]}"; do printf '    %s\n' "$g"; done
  echo "pytest_add_cli_args_test_selection = tests/"
  # the randomised property tests (hypothesis, ~60 s together) stay in CI but are left out here: each
  # surviving mutant runs every test that covers it, and they would multiply the run time by ~5
  printf 'pytest_add_cli_args =\n    -p\n    no:cacheprovider\n    -q\n    -x\n'
  for f in $SKIP_TESTS; do printf '    --ignore=%s\n' "$f"; done
  echo "also_copy ="
  echo "    docs/"
  echo "    examples/"
  echo "    tools/"
  echo "    README.md"
} > "$WORK/setup.cfg"

# Only the mutated copy may be imported. mutmut (3.8) drops "src" from sys.path when it runs the tests
# inside mutants/, and an editable install of steelworks (a .pth naming another checkout's src/) would
# then serve the unmutated package; a meta-path finder pins `steelworks` to mutants/src.
mkdir -p "$WORK/isolate"
cat > "$WORK/isolate/sitecustomize.py" <<PY
import os, sys
from importlib.machinery import PathFinder

MUTANTS = "$WORK/mutants/src"


class _MutantsFirst:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name == "steelworks" and os.path.isdir(os.path.join(MUTANTS, "steelworks")):
            return PathFinder.find_spec(name, [MUTANTS])
        return None


sys.meta_path.insert(0, _MutantsFirst)
PY
cd "$WORK"
export PYTHONPATH="$WORK/isolate"
echo "mutating ${GLOBS[*]} in $WORK ($JOBS workers)"
start=$(date +%s)
NAMES=()
if [ -n "${SAMPLE_FILE:-}" ]; then
  # the same mutants as an earlier run (its sample.txt), e.g. to measure new tests on one sample
  cp "$SAMPLE_FILE" "$WORK/sample.txt.in" && mv "$WORK/sample.txt.in" "$WORK/sample.txt"
  mapfile -t NAMES < "$WORK/sample.txt"
  SAMPLE=${#NAMES[@]}
  echo "sample: ${#NAMES[@]} mutants from $SAMPLE_FILE"
elif [ -n "${SAMPLE:-}" ]; then
  # generate the mutants only (what `mutmut run` does first), then draw the sample from their names
  python - "$SAMPLE" "${SEED:-7}" > "$WORK/sample.txt" <<'PY'
import random
import sys
from collections import defaultdict
from os import makedirs

import mutmut.__main__ as mm
from mutmut.mutation.data import SourceFileMutationData
from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir, setup_source_paths, walk_mutatable_files

total, seed = int(sys.argv[1]), int(sys.argv[2])
mm.set_mutant_under_test("mutant_generation")
makedirs("mutants", exist_ok=True)
stdout, sys.stdout = sys.stdout, sys.stderr  # mutmut prints each file it walks
copy_src_dir()
copy_also_copy_files()
setup_source_paths()
mm.create_mutants(1)
sys.stdout = stdout
by_file: dict[str, list[str]] = defaultdict(list)
for path in walk_mutatable_files():
    data = SourceFileMutationData(path=path)
    data.load()
    by_file[str(path)].extend(data.exit_code_by_key)
n_all = sum(len(v) for v in by_file.values())
rng = random.Random(seed)
for path in sorted(by_file):
    names = sorted(by_file[path])
    if not names:
        continue
    k = min(len(names), max(1, round(total * len(names) / n_all)))
    print(f"{path}: {k} of {len(names)} mutants", file=sys.stderr)
    for name in sorted(rng.sample(names, k)):
        print(name)
PY
  mapfile -t NAMES < "$WORK/sample.txt"
  echo "sample: ${#NAMES[@]} mutants (seed ${SEED:-7}) in $WORK/sample.txt"
fi
python -m mutmut run --max-children "$JOBS" "${NAMES[@]}" || true
echo "wall time: $(( $(date +%s) - start )) s"
python -m mutmut results --all true > "$WORK/results.txt" 2>&1 || python -m mutmut results > "$WORK/results.txt" 2>&1 || true
where=$(cd / && python -c "import steelworks, os; print(os.path.dirname(steelworks.__file__))")
case "$where" in "$WORK"/mutants/*) ;; *) echo "WARNING: steelworks imports from $where, not the mutated copy" >&2 ;; esac
if [ -n "${SAMPLE:-}" ]; then
  python "$REPO/tools/mutation_summary.py" "$WORK" "$WORK/sample.txt"
else
  python "$REPO/tools/mutation_summary.py" "$WORK"
fi
echo "copy kept in $WORK (cd there and run 'python -m mutmut browse' or 'python -m mutmut show NAME')"
