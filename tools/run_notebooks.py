#!/usr/bin/env python3
"""Run notebooks the way a reader does: Jupyter's "Run All" in a real kernel (`#| slow` and `#| eval: false` cells
included), offline. Usage:
  python tools/run_notebooks.py --check          # execute copies in a temp folder; committed notebooks untouched
  python tools/run_notebooks.py --refresh [NB..] # execute in place, then nbdev_clean: the committed outputs
Prints one line per notebook (seconds, ok/FAILED) and exits 1 if any failed."""
import argparse, os, shutil, subprocess, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

root = Path(__file__).resolve().parent.parent
p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
g = p.add_mutually_exclusive_group(required=True)
g.add_argument('--check', action='store_true', help='execute copies; leave the notebooks as they are')
g.add_argument('--refresh', action='store_true', help='execute the notebooks in place and clean them')
p.add_argument('notebooks', nargs='*', help='notebook files (default: every notebook in nbs/)')
p.add_argument('--jobs', type=int, default=1, help='notebooks run at once (default 1: each gets all the cores, as a reader '
               'has; with more, torch threads are split between them, since oversubscribed cores make training several times slower)')
p.add_argument('--timeout', type=int, default=900, help='seconds allowed per cell')
a = p.parse_args()

nbs = [Path(n).resolve() for n in a.notebooks] or sorted(f for f in (root/'nbs').glob('*.ipynb') if not f.name.startswith(('_', '.')))
work = Path(tempfile.mkdtemp(prefix='reader-path-'))
if a.check:  # a copy of the notebooks, with the settings that make it a project (nbdev's get_config)
    shutil.copytree(root/'nbs', work/'nbs'); shutil.copy(root/'settings.ini', work/'settings.ini')
env = {**os.environ, 'DIGIT_NB_OFFLINE': os.environ.get('DIGIT_NB_OFFLINE', '1'), 'PYTHONUNBUFFERED': '1',
       'DIGIT_NB_HOME': os.environ.get('DIGIT_NB_HOME') or str(work/'home')}
if a.jobs > 1: env.setdefault('OMP_NUM_THREADS', str(max(1, (os.cpu_count() or 1)//a.jobs)))

def run(nb: Path):
    target = work/'nbs'/nb.name if a.check else nb
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, '-m', 'jupyter', 'nbconvert', '--to', 'notebook', '--execute', '--inplace',
                        f'--ExecutePreprocessor.timeout={a.timeout}', str(target)], capture_output=True, text=True, env=env)
    secs = time.perf_counter() - t0
    tail = '' if r.returncode == 0 else '\n' + '\n'.join(r.stderr.strip().splitlines()[-15:])
    return nb.name, r.returncode == 0, secs, tail

# with several jobs the notebooks with the most `#| slow` cells start first, so the longest is not left for last
slow = lambda nb: nb.read_text().count('#| slow')
order = sorted(nbs, key=slow, reverse=True) if a.jobs > 1 else nbs
with ThreadPoolExecutor(a.jobs) as ex:
    done = dict(zip(order, ex.map(run, order)))
results = [done[nb] for nb in nbs]  # reported in reading order
for name, ok, secs, tail in results: print(f"reader's path: {name:<24} {secs:6.0f} s  {'ok' if ok else 'FAILED'}{tail}")
failed = [n for n, ok, _, _ in results if not ok]
if a.refresh:  # nbdev_clean from this Python's environment, even when it is not activated
    clean = Path(sys.executable).parent/'nbdev_clean'
    subprocess.run([str(clean) if clean.exists() else 'nbdev_clean'], cwd=root, check=True)
shutil.rmtree(work, ignore_errors=True)
print(f"reader's path failed: {' '.join(failed)}" if failed else "reader's path: all notebooks ran to the end")
sys.exit(1 if failed else 0)
